//! Input rules the server enforces and the apps check inline before sending anything, kept in one
//! place so the two never disagree: email shape, postal codes per country, card number checksum.
//! Pure functions of strings; messages are the server's field-error messages.

/// A plausible email address: one `@`, a dotted domain, no spaces (deliverability is not ours to
/// judge).
pub fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A phone number as the contract's pattern has it: an optional `+`, then 5 to 24 digits,
/// spaces, brackets or dashes.
pub fn is_phone(phone: &str) -> bool {
    let rest = phone.strip_prefix('+').unwrap_or(phone);
    (5..=24).contains(&rest.len())
        && rest
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'(' | b')' | b'-'))
}

/// What is wrong with `postal` as a postal code of `country` (ISO 3166-1 alpha-2), if anything.
/// US, GB, DE, FR and JP have their own rules; elsewhere any short non-empty code passes.
pub fn postal_code_problem(country: &str, postal: &str) -> Option<&'static str> {
    let digits =
        |text: &str, count: usize| text.len() == count && text.bytes().all(|b| b.is_ascii_digit());
    // Byte slicing below is only sound on ASCII; anything else is not a postal code here.
    let valid = postal.is_ascii()
        && match country {
            "US" => {
                digits(postal, 5)
                    || (postal.len() == 10
                        && digits(&postal[..5], 5)
                        && &postal[5..6] == "-"
                        && digits(&postal[6..], 4))
            }
            "DE" | "FR" => digits(postal, 5),
            "JP" => {
                postal.len() == 8
                    && digits(&postal[..3], 3)
                    && &postal[3..4] == "-"
                    && digits(&postal[4..], 4)
            }
            "GB" => is_uk_postcode(postal),
            _ => !postal.is_empty() && postal.len() <= 16,
        };
    if valid {
        return None;
    }
    Some(match country {
        "US" => "enter a 5-digit ZIP code (or ZIP+4)",
        "DE" | "FR" => "enter a 5-digit postal code",
        "JP" => "enter the postal code as 123-4567",
        "GB" => "enter a UK postcode such as SW1A 1AA",
        _ => "enter the postal code",
    })
}

/// UK postcodes: an outward code (A9, A99, AA9, AA99, A9A, AA9A), a space, then 9AA.
fn is_uk_postcode(postal: &str) -> bool {
    let compact: String = postal
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if !(5..=7).contains(&compact.len()) {
        return false;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward: Vec<char> = inward.chars().collect();
    let inward_ok = inward[0].is_ascii_digit()
        && inward[1].is_ascii_alphabetic()
        && inward[2].is_ascii_alphabetic();
    let outward: Vec<char> = outward.chars().collect();
    let outward_ok = outward[0].is_ascii_alphabetic()
        && outward.iter().any(char::is_ascii_digit)
        && outward.iter().all(char::is_ascii_alphanumeric);
    inward_ok && outward_ok
}

/// The Luhn checksum of a card number given as 12 to 19 digits only.
pub fn luhn_valid(number: &str) -> bool {
    let digits: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != number.len() || !(12..=19).contains(&digits.len()) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(index, digit)| {
            if index % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                *digit
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postal_codes_follow_each_countrys_rules() {
        for (country, good, bad) in [
            ("US", "94105", "9410"),
            ("US", "94105-1234", "94105 1234"),
            ("GB", "SW1A 1AA", "SW1A"),
            ("GB", "m1 1ae", "1M1 1AE"),
            ("DE", "10115", "1011"),
            ("FR", "75001", "7500A"),
            ("JP", "100-0001", "1000001"),
        ] {
            assert_eq!(postal_code_problem(country, good), None, "{country} {good}");
            assert!(
                postal_code_problem(country, bad).is_some(),
                "{country} {bad}"
            );
        }
        // Multi-byte input must be refused, not sliced mid-character.
        assert!(postal_code_problem("US", "1234é6789").is_some());
        assert!(postal_code_problem("JP", "10€0001").is_some());
    }

    #[test]
    fn card_numbers_need_a_valid_checksum() {
        assert!(luhn_valid("4242424242424242"));
        assert!(!luhn_valid("4242424242424241"));
        assert!(!luhn_valid("4242 4242 4242 4242"), "digits only");
    }

    #[test]
    fn emails_need_a_dotted_domain() {
        assert!(is_email("ada@example.com"));
        assert!(!is_email("ada@example"));
        assert!(!is_email("ada @example.com"));
    }
}
