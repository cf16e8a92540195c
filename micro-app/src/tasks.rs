//! Loading and sending from a view without Leptos' async primitives.
//!
//! `LocalResource` with `Suspense`/`Transition` brings the async-derived signal machinery, and
//! `Action` a handful of signals and memos, all instantiated again for every input and output
//! type. A micro app only needs "start a request, show a placeholder until it answers, keep the
//! last answer while a new one is on its way" ([`load`]) and "send this, and say whether
//! something is still in flight" ([`task`]): a signal and a spawned future each, behind one boxed
//! closure so the generic part stays small.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

/// A request, started afresh each time: boxed so that `Loader` and `Task` are not generic over
/// the app's closure and future types.
type Start<T> = Box<dyn Fn() -> Pin<Box<dyn Future<Output = T>>>>;
type Sending<I> = Box<dyn Fn(&I) -> Pin<Box<dyn Future<Output = ()>>>>;

/// The latest answer of a loader (`None` until the first one arrives), and a way to ask again.
pub struct Loader<T: 'static> {
    latest: RwSignal<Option<T>, LocalStorage>,
    /// Bumped by every request: an answer is kept only if no newer request was made since.
    generation: StoredValue<u64, LocalStorage>,
    start: StoredValue<Start<T>, LocalStorage>,
}

impl<T: 'static> Clone for Loader<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Loader<T> {}

/// Starts `fetch` now, under the current owner: when the owner goes (the app unmounts), late
/// answers are dropped.
pub fn load<T, F, Fut>(fetch: F) -> Loader<T>
where
    T: 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = T> + 'static,
{
    load_from(None, fetch)
}

/// Like [`load`], unless the first answer is already known (the state a server-side render was
/// made with): then it shows that and starts nothing until `refetch`.
pub fn load_from<T, F, Fut>(first: Option<T>, fetch: F) -> Loader<T>
where
    T: 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = T> + 'static,
{
    let known = first.is_some();
    let loader = Loader {
        latest: RwSignal::new_local(first),
        generation: StoredValue::new_local(0),
        start: StoredValue::new_local(Box::new(move || {
            Box::pin(fetch()) as Pin<Box<dyn Future<Output = T>>>
        }) as Start<T>),
    };
    if !known {
        loader.refetch();
    }
    loader
}

impl<T: Clone + 'static> Loader<T> {
    /// The latest answer, tracked: a view reading it updates when a new one arrives.
    pub fn get(&self) -> Option<T> {
        self.latest.get()
    }
}

impl<T: 'static> Loader<T> {
    /// Asks again; the previous answer stays visible until the new one replaces it.
    /// In a server-side render nothing starts: what is not in the props shows its placeholder.
    pub fn refetch(&self) {
        if cfg!(feature = "ssr") {
            return;
        }
        let Some(generation) = self.generation.try_update_value(|generation| {
            *generation += 1;
            *generation
        }) else {
            return;
        };
        let Some(answer) = self.start.try_with_value(|start| start()) else {
            return;
        };
        let (latest, current) = (self.latest, self.generation);
        leptos::task::spawn_local(async move {
            let answer = answer.await;
            if current.try_get_value() == Some(generation) {
                latest.try_set(Some(answer));
            }
        });
    }
}

/// Something to send on demand (`dispatch`), with whether any dispatch is still in flight.
pub struct Task<I: 'static> {
    in_flight: RwSignal<usize>,
    run: StoredValue<Sending<I>, LocalStorage>,
}

impl<I: 'static> Clone for Task<I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static> Copy for Task<I> {}

/// A task running `send` for each dispatched input; its output is dropped (write what the view
/// needs into signals inside `send`).
pub fn task<I, O, F, Fut>(send: F) -> Task<I>
where
    I: 'static,
    F: Fn(&I) -> Fut + 'static,
    Fut: Future<Output = O> + 'static,
{
    Task {
        in_flight: RwSignal::new(0),
        run: StoredValue::new_local(Box::new(move |input: &I| {
            let sending = send(input);
            Box::pin(async move {
                sending.await;
            }) as Pin<Box<dyn Future<Output = ()>>>
        }) as Sending<I>),
    }
}

impl<I: 'static> Task<I> {
    /// Starts sending `input` now; several dispatches may be in flight at once.
    /// In a server-side render nothing is sent.
    pub fn dispatch(&self, input: I) {
        if cfg!(feature = "ssr") {
            return;
        }
        let Some(sending) = self.run.try_with_value(|run| run(&input)) else {
            return;
        };
        let in_flight = self.in_flight;
        if in_flight.try_update(|count| *count += 1).is_none() {
            return;
        }
        leptos::task::spawn_local(async move {
            sending.await;
            in_flight.try_update(|count| *count -= 1);
        });
    }

    /// Whether any dispatch is still in flight (for disabling buttons and showing progress).
    pub fn pending(&self) -> Signal<bool> {
        any_in_flight(self.in_flight)
    }
}

fn any_in_flight(in_flight: RwSignal<usize>) -> Signal<bool> {
    Signal::derive(move || in_flight.get() > 0)
}
