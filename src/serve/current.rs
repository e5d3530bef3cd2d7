//! The snapshot being served: swapped in by the builder, read by every request,
//! and waited on by the pages' reload script.
//!
//! A page asks for the version with the one it shows (`?since=`), and the answer
//! is held until the version differs (a long poll, as the live reload of `mkdocs serve` does):
//! the page reloads as soon as a rebuild is served, instead of at its next poll.
//! Each held request is a thread and a connection, so only so many are held; the
//! others are answered at once, and their script polls instead.

use super::routes::Snapshot;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The longest a request for the next version is held. The script asks again at
/// once; well under the minutes after which browsers and proxies give up.
pub const HOLD: Duration = Duration::from_secs(20);

/// How many requests are held at once. Browsers open at most six connections to
/// one host, and the script holds one only in a visible tab.
pub const MAX_HELD: usize = 16;

/// The current snapshot, and a signal for the requests waiting for the next.
pub struct Current {
    snapshot: Mutex<Arc<Snapshot>>,
    swapped: Condvar,
    held: AtomicUsize,
}

impl Current {
    pub fn new(snapshot: Snapshot) -> Current {
        Current {
            snapshot: Mutex::new(Arc::new(snapshot)),
            swapped: Condvar::new(),
            held: AtomicUsize::new(0),
        }
    }

    /// The snapshot served now. The lock is held only to take it: a rebuild never
    /// waits on a slow client, and a client never sees half a swap.
    pub fn get(&self) -> Arc<Snapshot> {
        Arc::clone(&self.lock())
    }

    /// Serves `snapshot` from now on, and answers every held request.
    pub fn swap(&self, snapshot: Snapshot) {
        *self.lock() = Arc::new(snapshot);
        self.swapped.notify_all();
    }

    /// The snapshot once its version is not `shown`, or after `hold`; at once when
    /// [`MAX_HELD`] requests are already held.
    pub fn after(&self, shown: &str, hold: Duration) -> Arc<Snapshot> {
        if self.held.fetch_add(1, Ordering::SeqCst) >= MAX_HELD {
            self.held.fetch_sub(1, Ordering::SeqCst);
            return self.get();
        }
        let deadline = Instant::now() + hold;
        let mut current = self.lock();
        while current.version == shown {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            current =
                self.swapped.wait_timeout(current, left).unwrap_or_else(PoisonError::into_inner).0;
        }
        let snapshot = Arc::clone(&current);
        drop(current);
        self.held.fetch_sub(1, Ordering::SeqCst);
        snapshot
    }

    fn lock(&self) -> MutexGuard<'_, Arc<Snapshot>> {
        self.snapshot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::site::{Broken, Outcome};

    fn snapshot(version: &str) -> Snapshot {
        let broken = Broken { problems: Vec::new(), json: String::new() };
        Snapshot::new(&Outcome::Broken(broken), version.to_owned(), "T")
    }

    #[test]
    fn a_request_for_another_version_is_answered_at_once() {
        let current = Current::new(snapshot("a.2"));
        let asked = Instant::now();
        assert_eq!(current.after("a.1", Duration::from_secs(60)).version, "a.2");
        assert!(asked.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_held_request_is_answered_by_the_swap() {
        let current = Arc::new(Current::new(snapshot("a.1")));
        let waiter = std::thread::spawn({
            let current = Arc::clone(&current);
            move || current.after("a.1", Duration::from_secs(60)).version.clone()
        });
        // Swapped only once the request is held, so that it is the swap that
        // answers it.
        while current.held.load(Ordering::SeqCst) == 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
        current.swap(snapshot("a.2"));
        assert_eq!(waiter.join().unwrap(), "a.2");
        assert_eq!(current.held.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_held_request_is_answered_with_the_same_version_when_its_time_is_up() {
        let current = Current::new(snapshot("a.1"));
        let asked = Instant::now();
        assert_eq!(current.after("a.1", Duration::from_millis(30)).version, "a.1");
        assert!(asked.elapsed() >= Duration::from_millis(30));
    }

    #[test]
    fn past_the_limit_requests_are_answered_at_once() {
        let current = Arc::new(Current::new(snapshot("a.1")));
        let waiters: Vec<_> = (0..MAX_HELD)
            .map(|_| {
                let current = Arc::clone(&current);
                std::thread::spawn(move || {
                    current.after("a.1", Duration::from_secs(60)).version.clone()
                })
            })
            .collect();
        while current.held.load(Ordering::SeqCst) < MAX_HELD {
            std::thread::sleep(Duration::from_millis(1));
        }
        let asked = Instant::now();
        assert_eq!(current.after("a.1", Duration::from_secs(60)).version, "a.1");
        assert!(asked.elapsed() < Duration::from_secs(10));
        current.swap(snapshot("a.2"));
        for waiter in waiters {
            assert_eq!(waiter.join().unwrap(), "a.2");
        }
    }
}
