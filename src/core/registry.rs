//! The page-wide bookkeeping of live tasks: the connection limit (contract A1) and the task
//! that the legacy global functions act on (contract A3).

/// Identifies a task; also the `socketTaskId` reported to `success`.
pub type TaskId = u32;

/// Tracks live tasks, the limit on them and the bound task.
#[derive(Debug, Clone)]
pub struct Registry {
    max: u32,
    live: Vec<TaskId>,
    bound: Option<TaskId>,
    next_id: TaskId,
}

/// What [`Registry::admit`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admission {
    /// The new task's id.
    pub id: TaskId,
    /// `false` when the limit was reached: the task must start CLOSED.
    pub admitted: bool,
    /// The task became the bound task of the legacy functions.
    pub bound: bool,
}

impl Default for Registry {
    fn default() -> Self {
        Registry::new(5)
    }
}

impl Registry {
    /// A registry allowing `max` live tasks.
    pub fn new(max: u32) -> Self {
        Registry { max, live: Vec::new(), bound: None, next_id: 1 }
    }

    /// The limit on live tasks.
    pub fn max(&self) -> u32 {
        self.max
    }

    /// Changes the limit; tasks already live stay live.
    pub fn set_max(&mut self, max: u32) {
        self.max = max;
    }

    /// Registers a new task, live unless the limit is reached. A live task becomes the bound
    /// task when no earlier bound task is still live.
    pub fn admit(&mut self) -> Admission {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        if self.live.len() as u64 >= u64::from(self.max) {
            return Admission { id, admitted: false, bound: false };
        }
        self.live.push(id);
        let bound = self.bound.is_none();
        if bound {
            self.bound = Some(id);
        }
        Admission { id, admitted: true, bound }
    }

    /// Marks a task CLOSED; returns whether it was the bound task (which is then unbound).
    pub fn release(&mut self, id: TaskId) -> bool {
        self.live.retain(|&t| t != id);
        if self.bound == Some(id) {
            self.bound = None;
            true
        } else {
            false
        }
    }

    /// The bound task, if one is live.
    pub fn bound(&self) -> Option<TaskId> {
        self.bound
    }

    /// Live task ids, oldest first.
    pub fn live(&self) -> &[TaskId] {
        &self.live
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_and_binding() {
        let mut r = Registry::new(2);
        let a = r.admit();
        let b = r.admit();
        let c = r.admit();
        assert!(a.admitted && a.bound);
        assert!(b.admitted && !b.bound);
        assert!(!c.admitted && !c.bound);
        assert_eq!(r.bound(), Some(a.id));
        // Releasing a non-bound task keeps the binding.
        assert!(!r.release(b.id));
        assert_eq!(r.bound(), Some(a.id));
        let d = r.admit();
        assert!(d.admitted && !d.bound);
        // The bound task closes: nothing is bound until the next connect.
        assert!(r.release(a.id));
        assert_eq!(r.bound(), None);
        let e = r.admit();
        assert!(e.admitted && e.bound);
        assert_eq!(r.live(), &[d.id, e.id]);
    }
}
