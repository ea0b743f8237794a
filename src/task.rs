//! The module's executor: runs each exported operation's future and resolves its promise.
//!
//! Every future here waits only on JS promises, so a small executor does: a promise's
//! settlement is delivered through one long-lived callback, bound per wait to its [`Wait`],
//! and polls the task right there, already on a microtask. No queue, no Rust closure per
//! await and no JS file: about 1.3 KB (gzip) smaller than `wasm-bindgen-futures`, which
//! serves every kind of future.

use alloc::boxed::Box;
use alloc::rc::Rc;
use core::cell::{Cell, RefCell};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::global::Global;

// Bound straight to the globals: no JS file of our own, so one module fewer to load.
#[wasm_bindgen]
extern "C" {
    /// A promise, seen only for its `then`.
    #[wasm_bindgen(js_name = Promise)]
    type Thenable;
    /// `promise.then(fulfilled, rejected)`, with plain functions.
    #[wasm_bindgen(method)]
    fn then(this: &Thenable, fulfilled: &Callback, rejected: &Callback) -> JsValue;

    /// A function, seen only for its `bind`.
    #[wasm_bindgen(js_name = Function)]
    type Callback;
    /// `settled.bind(null, slot, fulfilled)`: the one callback, told which wait it answers.
    #[wasm_bindgen(method)]
    fn bind(this: &Callback, this_arg: &JsValue, slot: u32, fulfilled: bool) -> Callback;
}

type Settled = Result<JsValue, JsValue>;

/// Where a promise's outcome lands, and who to wake for it.
#[derive(Default)]
struct Slot {
    outcome: Cell<Option<Settled>>,
    waker: Cell<Option<Waker>>,
}

/// The one callback every [`Wait`] shares, made once and never freed.
static SETTLED: Global<Callback> = Global::new(|| {
    Closure::<dyn FnMut(u32, bool, JsValue)>::new(settled)
        .into_js_value()
        .unchecked_into()
});

fn settled(slot: u32, fulfilled: bool, value: JsValue) {
    // SAFETY: `slot` is the reference `Wait::poll` leaked for exactly this call; JS calls
    // one of its two handlers once, so it is taken back exactly once.
    let slot = unsafe { Rc::from_raw(slot as usize as *const Slot) };
    slot.outcome
        .set(Some(if fulfilled { Ok(value) } else { Err(value) }));
    if let Some(waker) = slot.waker.take() {
        waker.wake();
    }
}

/// A JS promise as a future: its value, or its rejection reason as `Err`.
pub struct Wait {
    promise: Option<Promise>,
    slot: Rc<Slot>,
}

impl Wait {
    /// Waits on `promise`.
    pub fn new(promise: Promise) -> Self {
        Wait {
            promise: Some(promise),
            slot: Rc::default(),
        }
    }
}

impl Future for Wait {
    type Output = Settled;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Settled> {
        if let Some(promise) = self.promise.take() {
            let slot = Rc::into_raw(self.slot.clone()) as usize as u32;
            SETTLED.with(|settled| {
                let none = JsValue::NULL;
                let then = promise.unchecked_ref::<Thenable>();
                then.then(
                    &settled.bind(&none, slot, true),
                    &settled.bind(&none, slot, false),
                );
            });
        }
        match self.slot.outcome.take() {
            Some(outcome) => Poll::Ready(outcome),
            None => {
                self.slot.waker.set(Some(cx.waker().clone()));
                Poll::Pending
            }
        }
    }
}

/// A spawned future, polled until it finishes.
struct Task {
    future: RefCell<Option<Pin<Box<dyn Future<Output = ()>>>>>,
    /// Woken while being polled: poll once more before going back to sleep.
    again: Cell<bool>,
}

impl Task {
    fn run(self: &Rc<Task>) {
        let Ok(mut slot) = self.future.try_borrow_mut() else {
            // Woken from inside its own poll: the poll loop below picks this up.
            self.again.set(true);
            return;
        };
        let waker = waker(self.clone());
        let mut cx = Context::from_waker(&waker);
        loop {
            self.again.set(false);
            let Some(future) = slot.as_mut() else { return };
            if future.as_mut().poll(&mut cx).is_ready() {
                *slot = None;
                return;
            }
            if !self.again.get() {
                return;
            }
        }
    }
}

static VTABLE: RawWakerVTable = RawWakerVTable::new(clone_raw, wake_raw, wake_by_ref_raw, drop_raw);

fn raw(task: Rc<Task>) -> RawWaker {
    RawWaker::new(Rc::into_raw(task).cast(), &VTABLE)
}

fn waker(task: Rc<Task>) -> Waker {
    // SAFETY: the vtable's functions treat the data pointer as the `Rc<Task>` it came from.
    unsafe { Waker::from_raw(raw(task)) }
}

// SAFETY (the four below): `data` is a pointer made by `raw` from an `Rc<Task>`; each waker
// owns one strong count, given back in `drop_raw` and `wake_raw`.
unsafe fn clone_raw(data: *const ()) -> RawWaker {
    let task = core::mem::ManuallyDrop::new(Rc::from_raw(data.cast::<Task>()));
    raw(Rc::clone(&task))
}

unsafe fn wake_raw(data: *const ()) {
    Rc::from_raw(data.cast::<Task>()).run();
}

unsafe fn wake_by_ref_raw(data: *const ()) {
    core::mem::ManuallyDrop::new(Rc::from_raw(data.cast::<Task>())).run();
}

unsafe fn drop_raw(data: *const ()) {
    drop(Rc::from_raw(data.cast::<Task>()));
}

/// Runs `work` from the next microtask on, and returns a promise of its outcome.
pub fn spawn<F>(work: F) -> Promise
where
    F: Future<Output = Settled> + 'static,
{
    let mut work = Some(work);
    // The executor runs within the constructor, once: the task starts there with the promise's
    // settling functions.
    Promise::new(&mut |resolve, reject| {
        let Some(work) = work.take() else { return };
        let task = Rc::new(Task {
            future: RefCell::new(Some(Box::pin(async move {
                // Started on a microtask, as promise executors do elsewhere, so an operation
                // never runs inside the call that started it.
                let _ = Wait::new(Promise::resolve(&JsValue::UNDEFINED)).await;
                let (settle, outcome) = match work.await {
                    Ok(value) => (resolve, value),
                    Err(reason) => (reject, reason),
                };
                let _ = settle.call1(&JsValue::UNDEFINED, &outcome);
            }))),
            again: Cell::new(false),
        });
        task.run();
    })
}
