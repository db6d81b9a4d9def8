//! Upload and download throughput of the release server's files, next to a raw write and
//! read of the same bytes to the same store in the same run: the server's own `FileStore`
//! (`utmost_app::files::storage`), opened here on the server's data directory or S3 bucket,
//! with no HTTP, no database and no processing. The ways a file travels:
//! - `POST /files` with a multipart form (`channel_id`, then the file), as the web app sends;
//! - the resumable `/uploads` flow: create, then the bytes in chunks, the last one answering
//!   the file's info;
//! - `GET /files/{id}`, the body read to its end.
//!
//! Local disk always; S3 with `--s3`, against s3s-fs (the S3 server `.ci/run` installs). The
//! files are `.bin` (no thumbnail or text extraction); `bench thumbnails` times the images.

use crate::load_average;
use crate::server::{Server, Target};
use anyhow::{bail, Context};
use bytes::Bytes;
use clap::Args;
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use utmost_app::files::storage::FileStore;
use utmost_config::FileSettings;

#[derive(Args)]
pub struct FilesArgs {
    /// Also against S3: an s3s-fs started here.
    #[arg(long)]
    s3: bool,
    /// The s3s-fs binary (default: where `.ci/run` installs it).
    #[arg(long, env = "S3S_FS_BIN")]
    s3s_fs: Option<PathBuf>,
    /// File sizes in bytes.
    #[arg(long, value_delimiter = ',', default_values_t = [100 * 1024, 5 * MIB, 50 * MIB])]
    sizes: Vec<usize>,
    /// Timed runs per size and way, after one warm-up; the median is reported.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Chunk size of the resumable uploads (at least 5 MiB, Mattermost's smallest first part).
    /// Below the store's 8 MiB part size: a chunk of 8 MiB or more goes to S3 as a multipart
    /// upload, whose key s3s-fs cannot keep (its file name grows past 255 bytes).
    #[arg(long, default_value_t = 6 * MIB)]
    chunk: usize,
}

const MIB: usize = 1024 * 1024;

/// The pieces a raw write is handed, as a request body arrives in pieces.
const RAW_PIECE: usize = 64 * 1024;

/// Short: s3s-fs names a multipart upload's metadata file after the base64 of the bucket and
/// the key, and Mattermost's long keys leave little room under the disk's 255-byte names.
const S3_BUCKET: &str = "bkt";
const S3_ACCESS_KEY: &str = "AKUTMOSTBENCH";
const S3_SECRET_KEY: &str = "SKUTMOSTBENCH";

/// One way of moving the bytes, its median time per size.
struct Way {
    name: &'static str,
    medians: Vec<Duration>,
}

pub async fn run(binary: &Path, args: &FilesArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.chunk >= 5 * MIB, "--chunk must be at least 5 MiB");
    let load_before = load_average();
    println!(
        "Sizes {}; median of {} runs after a warm-up, one transfer at a time; resumable uploads \
         in {} chunks; loopback; 1-minute load average {load_before} before.\n",
        args.sizes
            .iter()
            .map(|s| human(*s))
            .collect::<Vec<_>>()
            .join(", "),
        args.rounds,
        human(args.chunk),
    );
    let target = Target::sqlite().await?;
    let data = target.dir.join("data");
    let local = FileSettings {
        driver_name: "local".into(),
        directory: data.to_string_lossy().into_owned(),
        ..FileSettings::default()
    };
    let result = measure(binary, args, &target, &local, &[]).await;
    target.remove().await;
    print_report("Local disk", &args.sizes, &result?);

    if args.s3 {
        let s3 = S3sFs::start(args.s3s_fs.clone())?;
        let target = Target::sqlite().await?;
        let result = measure(binary, args, &target, &s3.settings(), &s3.env()).await;
        target.remove().await;
        print_report("S3 (s3s-fs on loopback)", &args.sizes, &result?);
    }
    println!("Thumbnail and preview time per image: `bench thumbnails` (its own section).");
    println!("\n1-minute load average after: {}", load_average());
    Ok(())
}

async fn measure(
    binary: &Path,
    args: &FilesArgs,
    target: &Target,
    settings: &FileSettings,
    env: &[(&str, String)],
) -> anyhow::Result<Vec<Way>> {
    eprintln!("starting {} ({})", binary.display(), settings.driver_name);
    let server = target.start(binary, env).await?;
    let fixture = server.fixture().await?;
    let store = FileStore::from_settings(settings)?;
    // Uploads of 50 MB on a loaded machine outlast the fixture client's 30 s.
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(300))
        .build()?;
    let client = Http {
        server: &server,
        http,
        token: fixture.token,
        channel_id: fixture.channel_id,
    };
    let mut ways: Vec<Way> = [
        "raw write (FileStore::write_stream)",
        "POST /files (multipart)",
        "resumable /uploads",
        "raw read (FileStore::open)",
        "GET /files/{id}",
    ]
    .into_iter()
    .map(|name| Way {
        name,
        medians: Vec::new(),
    })
    .collect();
    for (n, &size) in args.sizes.iter().enumerate() {
        eprintln!("{} bytes", size);
        let content = Bytes::from(pattern(size, n));
        let raw_path = format!("bench-raw/{n}.bin");
        let mut file_id = String::new();
        let mut runs: [Vec<Duration>; 5] = Default::default();
        for round in 0..=args.rounds {
            let timed = [
                time(raw_write(&store, &raw_path, &content)).await?,
                time(async {
                    file_id = client.upload_multipart(&content).await?;
                    Ok(())
                })
                .await?,
                time(client.upload_resumable(&content, args.chunk)).await?,
                time(raw_read(&store, &raw_path, size)).await?,
                time(client.download(&file_id, size)).await?,
            ];
            if round > 0 {
                for (run, took) in runs.iter_mut().zip(timed) {
                    run.push(took);
                }
            }
        }
        for (way, run) in ways.iter_mut().zip(runs) {
            way.medians.push(median(run));
        }
    }
    server.stop().await?;
    Ok(ways)
}

async fn time(
    job: impl std::future::Future<Output = anyhow::Result<()>>,
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    job.await?;
    Ok(started.elapsed())
}

async fn raw_write(store: &FileStore, path: &str, content: &Bytes) -> anyhow::Result<()> {
    let pieces: Vec<Result<Bytes, std::convert::Infallible>> = (0..content.len())
        .step_by(RAW_PIECE)
        .map(|at| Ok(content.slice(at..(at + RAW_PIECE).min(content.len()))))
        .collect();
    match store
        .write_stream(path, futures_util::stream::iter(pieces), u64::MAX)
        .await
    {
        Ok(_) => Ok(()),
        Err(e) => bail!("raw write: {e:?}"),
    }
}

async fn raw_read(store: &FileStore, path: &str, size: usize) -> anyhow::Result<()> {
    use futures_util::StreamExt;
    let mut opened = store.open(path, None).await?;
    let mut read = 0;
    while let Some(piece) = opened.body.next().await {
        read += piece?.len();
    }
    anyhow::ensure!(read == size, "raw read {read} bytes of {size}");
    Ok(())
}

/// The benchmark's user on the server.
struct Http<'a> {
    server: &'a Server,
    http: reqwest::Client,
    token: String,
    channel_id: String,
}

impl Http<'_> {
    /// `POST /files` with `channel_id` then the file, as the web app's form; the file's id.
    async fn upload_multipart(&self, content: &Bytes) -> anyhow::Result<String> {
        let boundary = "utmost-bench-files";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"channel_id\"\r\n\r\n{}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"files\"; \
             filename=\"bench.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n",
            self.channel_id
        )
        .into_bytes();
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let resp = self
            .http
            .post(format!("{}/files", self.server.url))
            .bearer_auth(&self.token)
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await?;
        let info: Value = expect(resp, 201, "POST /files").await?.json().await?;
        text(&info["file_infos"][0], "id")
    }

    /// Create an upload, then send the bytes in `chunk`-sized requests.
    async fn upload_resumable(&self, content: &Bytes, chunk: usize) -> anyhow::Result<()> {
        let resp = self
            .http
            .post(format!("{}/uploads", self.server.url))
            .bearer_auth(&self.token)
            .json(&json!({"channel_id": self.channel_id, "filename": "bench.bin", "file_size": content.len()}))
            .send()
            .await?;
        let upload: Value = expect(resp, 201, "POST /uploads").await?.json().await?;
        let url = format!("{}/uploads/{}", self.server.url, text(&upload, "id")?);
        let mut at = 0;
        while at < content.len() {
            let end = (at + chunk).min(content.len());
            let resp = self
                .http
                .post(&url)
                .bearer_auth(&self.token)
                .header("Content-Type", "application/octet-stream")
                .body(content.slice(at..end))
                .send()
                .await?;
            let last = end == content.len();
            expect(resp, if last { 200 } else { 204 }, "POST /uploads/{id}").await?;
            at = end;
        }
        Ok(())
    }

    async fn download(&self, file_id: &str, size: usize) -> anyhow::Result<()> {
        let resp = self
            .http
            .get(format!("{}/files/{file_id}", self.server.url))
            .bearer_auth(&self.token)
            .send()
            .await?;
        let mut resp = expect(resp, 200, "GET /files/{id}").await?;
        let mut read = 0;
        while let Some(piece) = resp.chunk().await? {
            read += piece.len();
        }
        anyhow::ensure!(read == size, "downloaded {read} bytes of {size}");
        Ok(())
    }
}

async fn expect(
    resp: reqwest::Response,
    status: u16,
    what: &str,
) -> anyhow::Result<reqwest::Response> {
    if resp.status().as_u16() == status {
        return Ok(resp);
    }
    let got = resp.status();
    bail!(
        "{what}: expected {status}, got {got}: {}",
        resp.text().await.unwrap_or_default()
    )
}

fn text(v: &Value, field: &str) -> anyhow::Result<String> {
    v[field]
        .as_str()
        .map(str::to_string)
        .with_context(|| format!("no {field} in {v}"))
}

/// `size` bytes that differ from one size to the next.
fn pattern(size: usize, seed: usize) -> Vec<u8> {
    (0..size)
        .map(|i| ((i.wrapping_mul(2_654_435_761) >> 7) ^ seed) as u8)
        .collect()
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort_unstable();
    runs.get(runs.len() / 2).copied().unwrap_or_default()
}

fn human(bytes: usize) -> String {
    if bytes >= MIB {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{} KiB", bytes / 1024)
    }
}

fn print_report(store: &str, sizes: &[usize], ways: &[Way]) {
    println!("{store}:\n");
    print!("| way |");
    for size in sizes {
        print!(" {} |", human(*size));
    }
    println!();
    println!("|---|{}", "---:|".repeat(sizes.len()));
    // Uploads against the raw write, downloads against the raw read.
    for (i, way) in ways.iter().enumerate() {
        let baseline = if i < 3 { &ways[0] } else { &ways[3] };
        print!("| {} |", way.name);
        for (n, size) in sizes.iter().enumerate() {
            let took = way.medians[n].as_secs_f64().max(1e-9);
            let mb_s = *size as f64 / 1e6 / took;
            if std::ptr::eq(way, baseline) {
                print!(" {mb_s:.0} MB/s ({:.1} ms) |", took * 1000.0);
            } else {
                let ratio = baseline.medians[n].as_secs_f64() / took;
                print!(" {mb_s:.0} MB/s ({:.2}× raw) |", ratio);
            }
        }
        println!();
    }
    println!();
}

/// An s3s-fs on a loopback port with one bucket, stopped on drop.
struct S3sFs {
    child: Child,
    root: PathBuf,
    endpoint: String,
}

impl S3sFs {
    fn start(binary: Option<PathBuf>) -> anyhow::Result<Self> {
        let binary = match binary {
            Some(b) => b,
            None => PathBuf::from(std::env::var("HOME").context("HOME is unset")?)
                .join(".cache/utmost-ci/s3s-fs/bin/s3s-fs"),
        };
        let root =
            std::env::temp_dir().join(format!("utmost-bench-s3-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(root.join(S3_BUCKET))?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(&binary)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", S3_ACCESS_KEY, "--secret-key", S3_SECRET_KEY])
            .arg(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {} (install it with .ci/run)", binary.display()))?;
        let server = Self {
            child,
            root,
            endpoint: format!("127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(&server.endpoint).is_err() {
            anyhow::ensure!(Instant::now() < deadline, "s3s-fs did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(server)
    }

    fn settings(&self) -> FileSettings {
        FileSettings {
            driver_name: "amazons3".into(),
            amazon_s3_endpoint: self.endpoint.clone(),
            amazon_s3_ssl: false,
            amazon_s3_bucket: S3_BUCKET.into(),
            amazon_s3_access_key_id: S3_ACCESS_KEY.into(),
            amazon_s3_secret_access_key: S3_SECRET_KEY.into(),
            amazon_s3_region: "us-east-1".into(),
            ..FileSettings::default()
        }
    }

    /// The same settings for the server.
    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("MM_FILESETTINGS_DRIVERNAME", "amazons3".into()),
            ("MM_FILESETTINGS_AMAZONS3ENDPOINT", self.endpoint.clone()),
            ("MM_FILESETTINGS_AMAZONS3SSL", "false".into()),
            ("MM_FILESETTINGS_AMAZONS3BUCKET", S3_BUCKET.into()),
            ("MM_FILESETTINGS_AMAZONS3ACCESSKEYID", S3_ACCESS_KEY.into()),
            (
                "MM_FILESETTINGS_AMAZONS3SECRETACCESSKEY",
                S3_SECRET_KEY.into(),
            ),
            ("MM_FILESETTINGS_AMAZONS3REGION", "us-east-1".into()),
        ]
    }
}

impl Drop for S3sFs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
