//! The card form's inline checks (the server's rules, so an invalid card never leaves the page)
//! and the request it becomes. The number goes to the vault's tokenisation endpoint only.

use api_client::types::{CardBrand, CardDetails};
use micro_app::rules;

pub struct CardForm {
    pub number: String,
    pub exp_month: String,
    pub exp_year: String,
    pub cvc: String,
    pub holder_name: String,
}

fn digits(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, ' ' | '-')).collect()
}

impl CardForm {
    /// The request for the vault, or `(field, message)` for every problem. `now` is
    /// `(year, month)` today.
    pub fn check(&self, now: (i32, i32)) -> Result<CardDetails, Vec<(String, String)>> {
        let mut problems = Vec::new();
        let number = digits(&self.number);
        if !rules::luhn_valid(&number) {
            problems.push(("number".into(), "check the card number".into()));
        }
        let month = self
            .exp_month
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|m| (1..=12).contains(m));
        let year = self.exp_year.trim().parse::<i32>().ok().map(|year| {
            // Two-digit years are this century's.
            if year < 100 { 2000 + year } else { year }
        });
        match (month, year) {
            (None, _) => problems.push(("expMonth".into(), "enter a month from 1 to 12".into())),
            (Some(_), None) => {
                problems.push(("expYear".into(), "enter the year, such as 2029".into()))
            }
            (Some(month), Some(year)) if (year, month) < now || year > now.0 + 20 => {
                problems.push(("expYear".into(), "this card has expired".into()))
            }
            _ => {}
        }
        let cvc_length = if number.starts_with("34") || number.starts_with("37") {
            4
        } else {
            3
        };
        let cvc = self.cvc.trim();
        if cvc.len() != cvc_length || !cvc.bytes().all(|b| b.is_ascii_digit()) {
            problems.push((
                "cvc".into(),
                format!("enter the {cvc_length}-digit security code"),
            ));
        }
        if self.holder_name.trim().is_empty() {
            problems.push(("holderName".into(), "enter the name on the card".into()));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(CardDetails {
            cvc: cvc.to_owned(),
            exp_month: month.unwrap_or_default(),
            exp_year: year.unwrap_or_default(),
            holder_name: self.holder_name.trim().to_owned(),
            number,
        })
    }
}

/// The brand as shoppers read it ("Visa ending 4242").
pub fn brand_name(brand: CardBrand) -> &'static str {
    match brand {
        CardBrand::Visa => "Visa",
        CardBrand::Mastercard => "Mastercard",
        CardBrand::Amex => "American Express",
        CardBrand::Discover => "Discover",
        CardBrand::Unknown => "Card",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn form(number: &str, month: &str, year: &str, cvc: &str) -> CardForm {
        CardForm {
            number: number.into(),
            exp_month: month.into(),
            exp_year: year.into(),
            cvc: cvc.into(),
            holder_name: "Ada Lovelace".into(),
        }
    }

    #[wasm_bindgen_test]
    fn a_good_card_becomes_a_vault_request() {
        let card = form("4242 4242 4242 4242", "12", "30", "123")
            .check((2026, 11))
            .unwrap();
        assert_eq!(
            (card.number.as_str(), card.exp_year),
            ("4242424242424242", 2030)
        );
    }

    #[wasm_bindgen_test]
    fn bad_cards_name_their_fields() {
        let fields = |form: CardForm| -> Vec<String> {
            form.check((2026, 11))
                .unwrap_err()
                .into_iter()
                .map(|(field, _)| field)
                .collect()
        };
        assert_eq!(
            fields(form("4242 4242 4242 4241", "12", "30", "123")),
            ["number"]
        );
        assert_eq!(
            fields(form("4242424242424242", "10", "2026", "123")),
            ["expYear"]
        );
        assert_eq!(
            fields(form("4242424242424242", "13", "2030", "12")),
            ["expMonth", "cvc"]
        );
        assert_eq!(
            fields(form("378282246310005", "1", "2030", "123")),
            ["cvc"],
            "Amex wants 4"
        );
    }
}
