//! The purchase in progress, shared by the steps: the cart, the server's checkout, where the
//! shopper is, what must survive a reload, and the page-level notice. Everything is a signal, so
//! `Flow` is `Copy` and each step takes it whole.

use api_client::types::{Cart, Checkout, CheckoutRequirement, Customer};
use design_system::{FieldErrors, Tone};
use leptos::prelude::*;

use crate::api::Failure;
use crate::storage::{self, InProgress};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Cart,
    Contact,
    Address,
    Shipping,
    Payment,
    Review,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Cart,
        Step::Contact,
        Step::Address,
        Step::Shipping,
        Step::Payment,
        Step::Review,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Step::Cart => "Cart",
            Step::Contact => "Contact",
            Step::Address => "Shipping address",
            Step::Shipping => "Delivery",
            Step::Payment => "Payment",
            Step::Review => "Review",
        }
    }

    pub fn index(self) -> usize {
        Step::ALL.iter().position(|step| *step == self).unwrap_or(0)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub tone: Tone,
    pub text: String,
}

#[derive(Clone, Copy)]
pub struct Flow {
    pub cart: RwSignal<Option<Cart>>,
    pub checkout: RwSignal<Option<Checkout>>,
    pub step: RwSignal<Step>,
    pub saved: RwSignal<InProgress>,
    pub notice: RwSignal<Option<Notice>>,
    /// An order is waiting for the connection to come back.
    pub queued: RwSignal<bool>,
    /// The signed-in customer, whose email and saved addresses prefill the steps.
    pub customer: RwSignal<Option<Customer>>,
}

impl Flow {
    pub fn new() -> Self {
        Flow {
            cart: RwSignal::new(None),
            checkout: RwSignal::new(None),
            step: RwSignal::new(Step::Cart),
            saved: RwSignal::new(InProgress::default()),
            notice: RwSignal::new(None),
            queued: RwSignal::new(storage::queued().is_some()),
            customer: RwSignal::new(None),
        }
    }

    /// The server's checkout id, once the checkout is open.
    pub fn checkout_id(&self) -> Option<String> {
        Some(self.saved.get_untracked().checkout_id).filter(|id| !id.is_empty())
    }

    pub fn say(&self, tone: Tone, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            tone,
            text: text.into(),
        }));
    }

    /// Changes what survives a reload, and stores it.
    pub fn update_saved(&self, change: impl FnOnce(&mut InProgress)) {
        self.saved.update(change);
        let saved = self.saved.get_untracked();
        storage::save_in_progress((!saved.checkout_id.is_empty()).then_some(&saved));
    }

    /// Takes the server's checkout and moves to the first step it still needs.
    pub fn adopt(&self, checkout: Checkout) {
        let id = checkout.id.clone();
        let next = first_needed(
            &checkout,
            self.saved.get_untracked().payment_token.is_some(),
        );
        self.checkout.set(Some(checkout));
        self.update_saved(|saved| {
            if saved.checkout_id != id {
                *saved = InProgress {
                    checkout_id: id,
                    ..InProgress::default()
                };
            }
        });
        self.step.set(next);
    }

    /// Sends one step's form: `call` gets the checkout id and sends it through `api`. The
    /// updated checkout moves the shopper to `next`; a refusal puts the server's field errors on
    /// the fields (on `fallback_field` when it named none).
    pub async fn submit_step<Fut>(
        &self,
        next: Step,
        field_errors: FieldErrors,
        fallback_field: &str,
        call: impl FnOnce(String) -> Fut,
    ) where
        Fut: std::future::Future<Output = Result<Checkout, Failure>>,
    {
        let Some(id) = self.checkout_id() else { return };
        match call(id).await {
            Ok(checkout) => {
                self.checkout.set(Some(checkout));
                self.step.set(next);
            }
            Err(Failure {
                mut fields,
                message,
                ..
            }) => {
                if fields.is_empty() {
                    fields.push((fallback_field.to_owned(), message));
                }
                field_errors.replace_all(fields);
            }
        }
    }

    /// Forgets the checkout (the cart changed under it): back to the cart.
    pub fn restart(&self) {
        self.checkout.set(None);
        self.update_saved(|saved| *saved = InProgress::default());
        self.step.set(Step::Cart);
    }
}

/// The first step a checkout still needs (review when nothing is missing).
pub fn first_needed(checkout: &Checkout, has_payment: bool) -> Step {
    let missing = |requirement| checkout.missing.contains(&requirement);
    if missing(CheckoutRequirement::ContactEmail) {
        Step::Contact
    } else if missing(CheckoutRequirement::ShippingAddress) {
        Step::Address
    } else if missing(CheckoutRequirement::ShippingOption) {
        Step::Shipping
    } else if !has_payment {
        Step::Payment
    } else {
        Step::Review
    }
}
