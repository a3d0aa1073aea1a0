//! The page-wide bookkeeping of live tasks: the connection limit (contract A1) and the task
//! that the legacy global functions act on (contract A3).

/// Identifies a task; also the `socketTaskId` reported to `success`.
pub type TaskId = u32;

/// Tracks live tasks, the limit on them and the bound task. It is the one owner of every
/// live task's state `T` (the driver's per-task record); a task leaves it when it closes.
#[derive(Debug, Clone)]
pub struct Registry<T> {
    max: u32,
    live: Vec<(TaskId, T)>,
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

impl<T> Default for Registry<T> {
    fn default() -> Self {
        Registry::new(5)
    }
}

impl<T> Registry<T> {
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
    /// task when no earlier bound task is still live. `make` builds its state from the
    /// admission; it is called (and kept) only when the task is admitted.
    pub fn admit(&mut self, make: impl FnOnce(Admission) -> T) -> Admission {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        if self.live.len() as u64 >= u64::from(self.max) {
            return Admission { id, admitted: false, bound: false };
        }
        let bound = self.bound.is_none();
        if bound {
            self.bound = Some(id);
        }
        let adm = Admission { id, admitted: true, bound };
        self.live.push((id, make(adm)));
        adm
    }

    /// Removes a task that closed and returns its state; a bound task is unbound.
    pub fn release(&mut self, id: TaskId) -> Option<T> {
        if self.bound == Some(id) {
            self.bound = None;
        }
        let i = self.live.iter().position(|(t, _)| *t == id)?;
        Some(self.live.remove(i).1)
    }

    /// The bound task, if one is live.
    pub fn bound(&self) -> Option<TaskId> {
        self.bound
    }

    /// A live task's state.
    pub fn get_mut(&mut self, id: TaskId) -> Option<&mut T> {
        self.live.iter_mut().find(|(t, _)| *t == id).map(|(_, s)| s)
    }

    /// Live task ids, oldest first.
    pub fn ids(&self) -> impl Iterator<Item = TaskId> + '_ {
        self.live.iter().map(|(t, _)| *t)
    }

    /// Live tasks with their state, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = (TaskId, &T)> + '_ {
        self.live.iter().map(|(t, s)| (*t, s))
    }

    /// Number of live tasks.
    pub fn len(&self) -> usize {
        self.live.len()
    }

    /// `true` when no task is live.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_and_binding() {
        let mut r: Registry<()> = Registry::new(2);
        let a = r.admit(|_| ());
        let b = r.admit(|_| ());
        let c = r.admit(|_| ());
        assert!(a.admitted && a.bound);
        assert!(b.admitted && !b.bound);
        assert!(!c.admitted && !c.bound);
        assert_eq!(r.bound(), Some(a.id));
        // Releasing a non-bound task keeps the binding.
        assert!(r.release(b.id).is_some());
        assert_eq!(r.bound(), Some(a.id));
        let d = r.admit(|_| ());
        assert!(d.admitted && !d.bound);
        // The bound task closes: nothing is bound until the next connect.
        assert!(r.release(a.id).is_some());
        assert_eq!(r.bound(), None);
        assert!(r.release(c.id).is_none(), "a refused task was never live");
        let e = r.admit(|_| ());
        assert!(e.admitted && e.bound);
        assert_eq!(r.ids().collect::<Vec<_>>(), vec![d.id, e.id]);
    }
}
