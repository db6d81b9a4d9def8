//! argon2id with working memory that outlives a run.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::Mutex;
use subtle::ConstantTimeEq;

/// The most memory a stored hash may make a check use (64 MiB); Utmost writes 19 MiB ones.
const MAX_BLOCKS: usize = 64 * 1024;

/// Argon2's working memory (19 MiB a run), kept for the next run. Allocated and freed per
/// run, it makes glibc raise its mmap threshold and serve later runs from heap arenas that
/// never shrink: 100 checks, two at a time, left the server 450 MiB larger. `Passwords`
/// bounds the runs, so at most that many buffers ever exist.
#[derive(Default)]
pub(super) struct Memory(Mutex<Vec<Vec<Block>>>);

impl Memory {
    /// Runs `work` with at least `blocks` blocks of memory.
    fn with_blocks<T>(&self, blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
        let mut memory = self.buffers().pop().unwrap_or_default();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        let result = work(&mut memory);
        self.buffers().push(memory);
        result
    }

    fn buffers(&self) -> std::sync::MutexGuard<'_, Vec<Vec<Block>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new argon2id hash of `password` with the default parameters, as a PHC string.
    pub(super) fn hash(&self, password: &str) -> Result<String, argon2::password_hash::Error> {
        let salt = SaltString::generate(&mut OsRng);
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes)?;
        let argon = Argon2::default();
        let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
            self.with_blocks(argon.params().block_count(), |memory| {
                argon.hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, memory)
            })
            .map_err(Into::into)
        })?;
        let hash = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(argon.params())?,
            salt: Some(salt.as_salt()),
            hash: Some(output),
        };
        Ok(hash.to_string())
    }

    /// True when `password` matches the argon2 hash `stored`.
    pub(super) fn verify(&self, password: &str, stored: &PasswordHash<'_>) -> bool {
        let (Ok(algorithm), Ok(params)) = (
            Algorithm::try_from(stored.algorithm),
            Params::try_from(stored),
        ) else {
            return false;
        };
        let version = match stored.version.map(Version::try_from) {
            None => Version::default(),
            Some(Ok(v)) => v,
            Some(Err(_)) => return false,
        };
        let (Some(salt), Some(expected)) = (stored.salt, stored.hash) else {
            return false;
        };
        let mut salt_bytes = [0u8; 64];
        let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
            return false;
        };
        if params.block_count() > MAX_BLOCKS {
            return false;
        }
        let argon = Argon2::new(algorithm, version, params);
        let mut derived = vec![0u8; expected.len()];
        let hashed = self.with_blocks(argon.params().block_count(), |memory| {
            argon.hash_password_into_with_memory(password.as_bytes(), salt, &mut derived, memory)
        });
        hashed.is_ok() && bool::from(derived.ct_eq(expected.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::PasswordHasher;
    use argon2::PasswordVerifier;

    #[test]
    fn hashes_read_like_the_argon2_crates_and_verify_both_ways() {
        let memory = Memory::default();
        let ours = memory.hash("correct horse").unwrap();
        assert!(ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"correct horse", &parsed)
            .is_ok());
        assert!(memory.verify("correct horse", &parsed));
        assert!(!memory.verify("correct horsf", &parsed));

        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"battery staple", &salt)
            .unwrap();
        assert!(memory.verify("battery staple", &theirs));
        assert!(!memory.verify("battery stapler", &theirs));
    }

    #[test]
    fn the_memory_is_kept_for_the_next_run() {
        let memory = Memory::default();
        memory.hash("one").unwrap();
        memory.hash("two").unwrap();
        let buffers = memory.buffers();
        assert_eq!(buffers.len(), 1);
        assert_eq!(buffers[0].len(), Argon2::default().params().block_count());
    }

    #[test]
    fn a_stored_hash_asking_for_too_much_memory_does_not_verify() {
        let params = Params::new(128 * 1024, 1, 1, None).unwrap();
        let salt = SaltString::generate(&mut OsRng);
        let big = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"pw", &salt)
            .unwrap();
        assert!(!Memory::default().verify("pw", &big));
    }
}
