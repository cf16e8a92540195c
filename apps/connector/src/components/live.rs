//! Following the connectors live: a server-sent event stream (opened with a stream ticket) while
//! it works, and the caller's polling otherwise. When the stream fails or its ticket expires,
//! polling takes over at once and the stream is tried again a little later with a new ticket.
//! The stream and its listeners are closed when the calling component goes.

use std::time::Duration;

use api_client::types::{Connector, ConnectorList};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::api;
use crate::session::Operator;

/// How long after a failed stream to try a new one.
const REOPEN_AFTER: Duration = Duration::from_secs(10);

type Stream = (
    web_sys::EventSource,
    Closure<dyn FnMut(web_sys::MessageEvent)>,
    Closure<dyn FnMut()>,
);

/// Sends every list the stream delivers to `on_list`; `live` says whether the stream is
/// delivering (poll while it is not).
pub fn follow_connectors(
    operator: Operator,
    live: RwSignal<bool>,
    on_list: Callback<Vec<Connector>>,
) {
    let stream = StoredValue::new(None::<SendWrapper<Stream>>);
    let gone = StoredValue::new(false);
    let close = move || {
        stream.try_update_value(|stream| {
            if let Some(stream) = stream.take() {
                stream.0.close();
            }
        });
    };
    on_cleanup(move || {
        gone.set_value(true);
        close();
    });
    open(operator, stream, gone, live, on_list);
}

fn open(
    operator: Operator,
    stream: StoredValue<Option<SendWrapper<Stream>>>,
    gone: StoredValue<bool>,
    live: RwSignal<bool>,
    on_list: Callback<Vec<Connector>>,
) {
    leptos::task::spawn_local(async move {
        let Ok(url) = api::connectors_stream_url(&operator.token).await else {
            return retry_later(operator, stream, gone, live, on_list);
        };
        let Ok(source) = web_sys::EventSource::new(&url) else {
            return retry_later(operator, stream, gone, live, on_list);
        };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |message: web_sys::MessageEvent| {
                if let Some(list) = message
                    .data()
                    .as_string()
                    .and_then(|data| json_codec::from_str::<ConnectorList>(&data).ok())
                {
                    live.try_set(true);
                    on_list.run(list.items);
                }
            },
        );
        let on_error = {
            let (source, operator) = (source.clone(), operator.clone());
            Closure::<dyn FnMut()>::new(move || {
                // Polling takes over now; a new ticket is asked for later (this one may be the
                // reason: it expired).
                source.close();
                live.try_set(false);
                retry_later(operator.clone(), stream, gone, live, on_list);
            })
        };
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let opened = SendWrapper::new((source.clone(), on_message, on_error));
        if gone.try_get_value() != Some(false) || stream.try_set_value(Some(opened)).is_some() {
            // The page went while the stream was opening.
            source.close();
        }
    });
}

fn retry_later(
    operator: Operator,
    stream: StoredValue<Option<SendWrapper<Stream>>>,
    gone: StoredValue<bool>,
    live: RwSignal<bool>,
    on_list: Callback<Vec<Connector>>,
) {
    set_timeout(
        move || {
            if gone.try_get_value() == Some(false) {
                open(operator, stream, gone, live, on_list);
            }
        },
        REOPEN_AFTER,
    );
}
