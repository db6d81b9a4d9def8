//! The map every cache of this layer is built on: bounded, and safe against a read that
//! overlaps a change.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard};

/// At most `capacity` entries; a full map starts over (the next reads refill it with what is
/// in use). Every invalidation bumps a generation, and a value loaded from the database is
/// kept only if no invalidation landed while it was being read: otherwise it may predate the
/// change, and keeping it would serve the old value until the next change.
pub(crate) struct Bounded<K, V> {
    capacity: usize,
    inner: Mutex<Inner<K, V>>,
    /// `mattermost_cache_mem_{hit,miss,invalidation}_total{name}` of this cache.
    counters: utmost_metrics::CacheCounters,
}

struct Inner<K, V> {
    map: HashMap<K, V>,
    generation: u64,
}

impl<K: Eq + Hash, V: Clone> Bounded<K, V> {
    #[cfg(test)]
    pub(crate) fn new(capacity: usize) -> Self {
        Self::named("test", capacity)
    }

    /// A cache whose metrics carry `name` (the `name` label).
    pub(crate) fn named(name: &str, capacity: usize) -> Self {
        Self {
            capacity,
            inner: Mutex::new(Inner {
                map: HashMap::new(),
                generation: 0,
            }),
            counters: utmost_metrics::metrics().cache(name),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner<K, V>> {
        // A panic while holding the lock cannot leave the map inconsistent: keep using it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[cfg(test)]
    pub(crate) fn get(&self, key: &K) -> Option<V> {
        self.lock().map.get(key).cloned()
    }

    /// The cached value, or `load`'s, which is kept unless a change landed meanwhile.
    pub(crate) async fn get_or_load<E, F>(&self, key: K, load: F) -> Result<V, E>
    where
        F: Future<Output = Result<V, E>>,
    {
        let generation = match self.lookup(&key) {
            Ok(hit) => return Ok(hit),
            Err(generation) => generation,
        };
        let value = load.await?;
        self.keep(generation, key, value.clone());
        Ok(value)
    }

    /// Like `get_or_load` for a load that may find nothing; nothing is not kept.
    pub(crate) async fn get_or_load_found<E, F>(&self, key: K, load: F) -> Result<Option<V>, E>
    where
        F: Future<Output = Result<Option<V>, E>>,
    {
        let generation = match self.lookup(&key) {
            Ok(hit) => return Ok(Some(hit)),
            Err(generation) => generation,
        };
        let found = load.await?;
        if let Some(value) = &found {
            self.keep(generation, key, value.clone());
        }
        Ok(found)
    }

    /// The cached value, or the generation a load must see unchanged to keep its value.
    fn lookup(&self, key: &K) -> Result<V, u64> {
        let inner = self.lock();
        let found = inner.map.get(key).cloned().ok_or(inner.generation);
        drop(inner);
        match &found {
            Ok(_) => self.counters.hit.inc(),
            Err(_) => self.counters.miss.inc(),
        }
        found
    }

    fn keep(&self, generation: u64, key: K, value: V) {
        let mut inner = self.lock();
        if inner.generation == generation {
            if inner.map.len() >= self.capacity {
                inner.map.clear();
            }
            inner.map.insert(key, value);
        }
    }

    pub(crate) fn remove<Q>(&self, key: &Q)
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.map.remove(key);
        self.counters.invalidation.inc();
    }

    /// Drops every entry `drop` selects.
    pub(crate) fn remove_where(&self, drop: impl Fn(&K, &V) -> bool) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.map.retain(|k, v| !drop(k, v));
        self.counters.invalidation.inc();
    }

    pub(crate) fn clear(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.map.clear();
        self.counters.invalidation.inc();
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn load(n: u32) -> Result<u32, ()> {
        Ok(n)
    }

    #[tokio::test]
    async fn a_value_read_while_a_change_landed_is_not_kept() {
        let cache = Bounded::<&str, u32>::new(10);
        let read = cache.get_or_load("a", async {
            // The change commits and is published while this read is in flight.
            cache.remove(&"b");
            Ok::<_, ()>(1)
        });
        assert_eq!(read.await, Ok(1));
        assert_eq!(cache.get(&"a"), None);
        assert_eq!(cache.get_or_load("a", load(2)).await, Ok(2));
        assert_eq!(cache.get(&"a"), Some(2));
        assert_eq!(cache.get_or_load("a", load(3)).await, Ok(2));
    }

    #[tokio::test]
    async fn a_full_cache_starts_over() {
        let cache = Bounded::<u32, u32>::new(3);
        for n in 0..3 {
            cache.get_or_load(n, load(n)).await.unwrap();
        }
        assert_eq!(cache.len(), 3);
        cache.get_or_load(3, load(3)).await.unwrap();
        assert_eq!(cache.len(), 1);
        assert_eq!(cache.get(&3), Some(3));
    }

    #[tokio::test]
    async fn failed_and_empty_loads_are_not_kept() {
        let cache = Bounded::<u32, u32>::new(3);
        assert_eq!(
            cache.get_or_load(1, async { Err("down") }).await,
            Err("down")
        );
        assert_eq!(cache.get(&1), None);
        let none = cache
            .get_or_load_found(1, async { Ok::<_, ()>(None) })
            .await;
        assert_eq!(none, Ok(None));
        assert_eq!(cache.get(&1), None);
        let found = cache
            .get_or_load_found(1, async { Ok::<_, ()>(Some(7)) })
            .await;
        assert_eq!(found, Ok(Some(7)));
        assert_eq!(cache.get(&1), Some(7));
        cache.get_or_load(2, load(2)).await.unwrap();
        cache.remove_where(|k, _| *k == 2);
        assert_eq!(cache.get(&2), None);
    }
}
