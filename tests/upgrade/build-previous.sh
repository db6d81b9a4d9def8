#!/usr/bin/env bash
# Builds the previous release's `utmost` binary (the revision tests/upgrade/previous-release
# names: a commit or a tag) and prints its path. The binary is cached outside the repository,
# keyed by the commit: ${UTMOST_CI_CACHE:-$HOME/.cache/utmost-ci}/previous-release/<commit>/utmost,
# and reused when present. The sources are exported with `git archive` (no worktree is
# registered) to previous-release/src, and built (debug, `-p utmost` only, the web client not
# built: the API is what an upgrade exercises) with a target directory of its own,
# previous-release/target, shared by the releases, so the workspace's target is not churned
# and the next release's build reuses the third-party crates. A lock serialises two callers.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"

rev="$(grep -v '^[[:space:]]*#' tests/upgrade/previous-release | tr -d '[:space:]')"
if ! commit="$(git rev-parse --verify --quiet "$rev^{commit}")"; then
  echo "build-previous: the previous release '$rev' (tests/upgrade/previous-release) is not in this clone; fetch it (git fetch --tags, or a full clone rather than a shallow one)" >&2
  exit 1
fi
root="${UTMOST_CI_CACHE:-$HOME/.cache/utmost-ci}/previous-release"
bin="$root/$commit/utmost"
mkdir -p "$root"
exec 9>"$root/.lock"
flock 9
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

echo "build-previous: building the previous release's utmost ($commit) into $root; the first build compiles every dependency and takes several minutes, later runs reuse $bin" >&2
start=$(date +%s)
rm -rf "$root/src"
mkdir -p "$root/src"
git archive "$commit" | tar -x -C "$root/src"
(
  cd "$root/src"
  UTMOST_WEB_BUILD=0 CARGO_TARGET_DIR="$root/target" CARGO_INCREMENTAL=0 CARGO_PROFILE_DEV_DEBUG=0 \
    cargo build --locked -p utmost --bin utmost >&2
)
mkdir -p "$root/$commit"
cp "$root/target/debug/utmost" "$bin.tmp"
mv -f "$bin.tmp" "$bin"
echo "build-previous: built $bin in $(($(date +%s) - start))s" >&2
echo "$bin"
