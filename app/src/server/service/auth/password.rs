//! Password hashing with Argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane), on blocking
//! threads, never on the async workers, and never more at once than the machine has cores: each
//! run takes 19 MiB, so a flood of sign-ins would otherwise take gigabytes. Extra attempts wait
//! their turn in a queue that costs almost nothing.

use crate::error::AppError;
use crate::model::account::Password;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("OWASP Argon2id parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A stored password hash (PHC string). Not `Serialize`: it never leaves the server.
#[derive(Clone)]
pub struct PasswordHashText(pub String);

/// Lets at most `size` pieces of blocking work run at once; the rest wait for a permit.
pub struct Gate {
    size: usize,
    permits: Arc<Semaphore>,
    running: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

impl Gate {
    /// A gate for `size` concurrent runs (at least one).
    pub fn new(size: usize) -> Gate {
        let size = size.max(1);
        Gate {
            size,
            permits: Arc::new(Semaphore::new(size)),
            running: Arc::default(),
            peak: Arc::default(),
        }
    }

    /// How many runs may overlap.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The most runs seen overlapping so far.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Runs `work` on a blocking thread once a permit is free. The permit travels with the work,
    /// so a caller that gives up (a closed connection) does not free it while the work still runs.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(crate::server::internal)?;
        let (running, peak) = (Arc::clone(&self.running), Arc::clone(&self.peak));
        tokio::task::spawn_blocking(move || {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            let out = work();
            running.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
            out
        })
        .await
        .map_err(crate::server::internal)
    }
}

/// The process-wide gate for Argon2: one run per available core.
pub fn argon2_gate() -> &'static Gate {
    static GATE: OnceLock<Gate> = OnceLock::new();
    GATE.get_or_init(|| {
        Gate::new(std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get))
    })
}

/// Hashes a new password.
pub async fn hash_password(password: &Password) -> Result<PasswordHashText, AppError> {
    let password = password.clone();
    argon2_gate()
        .run(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2()
                .hash_password(password.expose().as_bytes(), &salt)
                .map(|h| PasswordHashText(h.to_string()))
                .map_err(|e| crate::server::internal(format!("password hashing failed: {e}")))
        })
        .await?
}

/// A hash of no real password, made once, so that checking an unknown username costs exactly
/// what checking a known one does (one Argon2 verification).
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        argon2()
            .hash_password(b"not-a-real-password", &SaltString::generate(&mut OsRng))
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Checks a typed password against a stored hash. With no stored hash (an unknown username) it
/// verifies against a dummy hash, so timing does not reveal which usernames exist.
pub async fn verify_password(stored: Option<PasswordHashText>, typed: Password) -> bool {
    argon2_gate()
        .run(move || {
            let text = match &stored {
                Some(h) => h.0.clone(),
                None => dummy_hash().to_owned(),
            };
            let ok = PasswordHash::new(&text)
                .map(|parsed| {
                    argon2()
                        .verify_password(typed.expose().as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false);
            ok && stored.is_some()
        })
        .await
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_runs_overlap_than_the_gate_allows() {
        let gate = Arc::new(Gate::new(2));
        let runs: Vec<_> = (0..8)
            .map(|_| {
                let gate = Arc::clone(&gate);
                tokio::spawn(async move {
                    gate.run(|| std::thread::sleep(Duration::from_millis(30)))
                        .await
                })
            })
            .collect();
        for run in runs {
            run.await.unwrap().unwrap();
        }
        assert_eq!(gate.peak(), 2, "eight runs, two at a time");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_flood_of_password_checks_uses_one_argon2_run_per_core() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(argon2_gate().size(), cores);
        let checks: Vec<_> = (0..cores * 3)
            .map(|i| {
                tokio::spawn(verify_password(
                    None,
                    Password::typed(&format!("guess-{i}")),
                ))
            })
            .collect();
        for check in checks {
            assert!(!check.await.unwrap());
        }
        assert!(argon2_gate().peak() <= cores, "{}", argon2_gate().peak());
    }
}
