//! The bounded send queue used while a task is not OPEN (contract B1 `queue`).

use std::collections::VecDeque;

/// What the queue does when a new message does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// Fail the new message with `queue full`.
    Reject,
    /// Fail the oldest messages with `queue full` until the new one fits.
    DropOldest,
}

/// Bounds and policy of a queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueConfig {
    /// At most this many messages. Default 1000.
    pub max_messages: usize,
    /// At most this many bytes (strings count their UTF-8 length). Default 1 MiB.
    pub max_bytes: usize,
    /// Default [`Overflow::Reject`].
    pub policy: Overflow,
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig { max_messages: 1000, max_bytes: 1 << 20, policy: Overflow::Reject }
    }
}

/// A message as the core sees it: something with a size in bytes.
pub trait Payload {
    /// Exact size on the wire (UTF-8 length for text). May be costly; called only when a
    /// message is queued or re-queued.
    fn bytes(&self) -> usize;
    /// A cheap lower bound of [`Payload::bytes`] (UTF-16 length for text).
    fn min_bytes(&self) -> usize;
    /// A copy kept in case the connection drops before the browser transmits it. The copy
    /// carries no callbacks: those run once, for the original.
    fn resend_copy(&self) -> Self;
}

/// FIFO with a message bound and a byte bound.
#[derive(Debug)]
pub struct Queue<M> {
    items: VecDeque<(M, usize)>,
    bytes: usize,
}

impl<M> Default for Queue<M> {
    fn default() -> Self {
        Queue { items: VecDeque::new(), bytes: 0 }
    }
}

impl<M> Queue<M> {
    /// Number of messages waiting.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// `true` when nothing waits.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Bytes waiting.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Adds `m` (of `size` bytes) at the back, applying the policy. Messages that had to go
    /// are handed to `dropped`, the new one included when it is rejected.
    pub fn push(&mut self, m: M, size: usize, cfg: &QueueConfig, mut dropped: impl FnMut(M)) {
        if cfg.max_messages == 0 || size > cfg.max_bytes {
            dropped(m);
            return;
        }
        let fits = |q: &Self| q.items.len() < cfg.max_messages && q.bytes + size <= cfg.max_bytes;
        if !fits(self) {
            match cfg.policy {
                Overflow::Reject => {
                    dropped(m);
                    return;
                }
                Overflow::DropOldest => {
                    while !fits(self) {
                        match self.pop() {
                            Some(old) => dropped(old),
                            None => break,
                        }
                    }
                }
            }
        }
        self.bytes += size;
        self.items.push_back((m, size));
    }

    /// Whether a message of `size` bytes fits within the bounds now.
    pub fn fits(&self, size: usize, cfg: &QueueConfig) -> bool {
        self.items.len() < cfg.max_messages && self.bytes + size <= cfg.max_bytes
    }

    /// Puts `m` back at the front, ignoring bounds (callers check [`Queue::fits`]).
    pub fn push_front(&mut self, m: M, size: usize) {
        self.bytes += size;
        self.items.push_front((m, size));
    }

    /// Takes the oldest message.
    pub fn pop(&mut self) -> Option<M> {
        let (m, size) = self.items.pop_front()?;
        self.bytes -= size;
        Some(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reject_and_drop_oldest() {
        let cfg = QueueConfig { max_messages: 2, max_bytes: 10, policy: Overflow::Reject };
        let mut q = Queue::default();
        let mut dropped = vec![];
        q.push(1, 4, &cfg, |m| dropped.push(m));
        q.push(2, 4, &cfg, |m| dropped.push(m));
        q.push(3, 1, &cfg, |m| dropped.push(m));
        assert_eq!(dropped, vec![3]);
        let cfg = QueueConfig { policy: Overflow::DropOldest, ..cfg };
        q.push(4, 8, &cfg, |m| dropped.push(m));
        assert_eq!(dropped, vec![3, 1, 2]);
        assert_eq!((q.len(), q.bytes()), (1, 8));
        q.push(5, 11, &cfg, |m| dropped.push(m));
        assert_eq!(dropped, vec![3, 1, 2, 5]);
        q.push_front(0, 3);
        assert_eq!(q.pop(), Some(0));
        assert_eq!(q.pop(), Some(4));
        assert_eq!(q.pop(), None);
        assert_eq!(q.bytes(), 0);
    }
}
