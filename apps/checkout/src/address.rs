//! Address forms that suit the country: which fields, in which order, with which labels, and the
//! inline checks (the kit's rules, the same the server applies) that run before anything is sent.

use api_client::types::Address;
use micro_app::rules;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Name,
    Line1,
    Line2,
    City,
    Region,
    PostalCode,
}

impl Field {
    /// The contract's field name: server field errors arrive as `shippingAddress.<name>`.
    pub fn name(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Line1 => "line1",
            Field::Line2 => "line2",
            Field::City => "city",
            Field::Region => "region",
            Field::PostalCode => "postalCode",
        }
    }

    pub fn autocomplete(self) -> &'static str {
        match self {
            Field::Name => "shipping name",
            Field::Line1 => "shipping address-line1",
            Field::Line2 => "shipping address-line2",
            Field::City => "shipping address-level2",
            Field::Region => "shipping address-level1",
            Field::PostalCode => "shipping postal-code",
        }
    }
}

pub enum Region {
    /// The country's addresses do not use one.
    Unused,
    Optional(&'static str),
    /// Required, chosen from a list of `(value, label)`.
    Choice(&'static str, &'static [(&'static str, &'static str)]),
}

pub struct Country {
    pub code: &'static str,
    pub name: &'static str,
    pub fields: &'static [Field],
    pub city_label: &'static str,
    pub postal_label: &'static str,
    pub postal_hint: &'static str,
    pub region: Region,
}

/// `(code, name)`: the code is what the address stores (and what carriers print).
const US_STATES: &[(&str, &str)] = &[
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
];

/// Stored and shown by their romanised names.
const JP_PREFECTURES: &[(&str, &str)] = &[
    ("Hokkaido", "Hokkaido"),
    ("Aomori", "Aomori"),
    ("Iwate", "Iwate"),
    ("Miyagi", "Miyagi"),
    ("Akita", "Akita"),
    ("Yamagata", "Yamagata"),
    ("Fukushima", "Fukushima"),
    ("Ibaraki", "Ibaraki"),
    ("Tochigi", "Tochigi"),
    ("Gunma", "Gunma"),
    ("Saitama", "Saitama"),
    ("Chiba", "Chiba"),
    ("Tokyo", "Tokyo"),
    ("Kanagawa", "Kanagawa"),
    ("Niigata", "Niigata"),
    ("Toyama", "Toyama"),
    ("Ishikawa", "Ishikawa"),
    ("Fukui", "Fukui"),
    ("Yamanashi", "Yamanashi"),
    ("Nagano", "Nagano"),
    ("Gifu", "Gifu"),
    ("Shizuoka", "Shizuoka"),
    ("Aichi", "Aichi"),
    ("Mie", "Mie"),
    ("Shiga", "Shiga"),
    ("Kyoto", "Kyoto"),
    ("Osaka", "Osaka"),
    ("Hyogo", "Hyogo"),
    ("Nara", "Nara"),
    ("Wakayama", "Wakayama"),
    ("Tottori", "Tottori"),
    ("Shimane", "Shimane"),
    ("Okayama", "Okayama"),
    ("Hiroshima", "Hiroshima"),
    ("Yamaguchi", "Yamaguchi"),
    ("Tokushima", "Tokushima"),
    ("Kagawa", "Kagawa"),
    ("Ehime", "Ehime"),
    ("Kochi", "Kochi"),
    ("Fukuoka", "Fukuoka"),
    ("Saga", "Saga"),
    ("Nagasaki", "Nagasaki"),
    ("Kumamoto", "Kumamoto"),
    ("Oita", "Oita"),
    ("Miyazaki", "Miyazaki"),
    ("Kagoshima", "Kagoshima"),
    ("Okinawa", "Okinawa"),
];

use Field::{City, Line1, Line2, Name, PostalCode, Region as RegionField};

pub const COUNTRIES: &[Country] = &[
    Country {
        code: "US",
        name: "United States",
        fields: &[Name, Line1, Line2, City, RegionField, PostalCode],
        city_label: "City",
        postal_label: "ZIP code",
        postal_hint: "5 digits, or ZIP+4 such as 94105-1234",
        region: Region::Choice("State", US_STATES),
    },
    Country {
        code: "GB",
        name: "United Kingdom",
        fields: &[Name, Line1, Line2, City, RegionField, PostalCode],
        city_label: "Town or city",
        postal_label: "Postcode",
        postal_hint: "For example SW1A 1AA",
        region: Region::Optional("County (optional)"),
    },
    Country {
        code: "DE",
        name: "Germany",
        fields: &[Name, Line1, Line2, PostalCode, City],
        city_label: "City",
        postal_label: "Postal code (PLZ)",
        postal_hint: "5 digits",
        region: Region::Unused,
    },
    Country {
        code: "FR",
        name: "France",
        fields: &[Name, Line1, Line2, PostalCode, City],
        city_label: "City",
        postal_label: "Postal code",
        postal_hint: "5 digits",
        region: Region::Unused,
    },
    Country {
        code: "JP",
        name: "Japan",
        fields: &[Name, PostalCode, RegionField, City, Line1, Line2],
        city_label: "City, ward or town",
        postal_label: "Postal code",
        postal_hint: "For example 100-0001",
        region: Region::Choice("Prefecture", JP_PREFECTURES),
    },
];

pub fn country(code: &str) -> &'static Country {
    COUNTRIES
        .iter()
        .find(|country| country.code == code)
        .unwrap_or(&COUNTRIES[0])
}

impl Country {
    pub fn label(&self, field: Field) -> &'static str {
        match field {
            Name => "Full name",
            Line1 if self.code == "JP" => "Street, block and building",
            Line1 => "Street address",
            Line2 => "Apartment, suite, etc. (optional)",
            City => self.city_label,
            PostalCode => self.postal_label,
            RegionField => match self.region {
                Region::Optional(label) | Region::Choice(label, _) => label,
                Region::Unused => "",
            },
        }
    }

    pub fn uses(&self, field: Field) -> bool {
        field != RegionField || !matches!(self.region, Region::Unused)
    }
}

/// The address as a letter to `address.country` would carry it, a line each, ending with the
/// country's name: "San Francisco, CA 94105" in the US, "10115 Berlin" in Germany, the postcode
/// on its own line in the UK.
pub fn postal_lines(address: &Address) -> Vec<String> {
    let country = country(&address.country);
    let region = address
        .region
        .as_deref()
        .map(str::trim)
        .filter(|region| !region.is_empty());
    let (city, postal) = (address.city.trim(), address.postal_code.trim());
    let mut lines = vec![address.name.clone(), address.line1.clone()];
    lines.extend(address.line2.clone().filter(|line| !line.trim().is_empty()));
    match country.code {
        "US" | "JP" => lines.push(match region {
            Some(region) => format!("{city}, {region} {postal}"),
            None => format!("{city} {postal}"),
        }),
        "GB" => {
            lines.push(city.to_owned());
            lines.extend(region.map(str::to_owned));
            lines.push(postal.to_owned());
        }
        _ => lines.push(format!("{postal} {city}")),
    }
    // An address from a country the form does not know keeps its code rather than a wrong name.
    let known = COUNTRIES.iter().any(|known| known.code == address.country);
    lines.push(if known {
        country.name.to_owned()
    } else {
        address.country.clone()
    });
    lines
}

/// `(field name, message)` for everything wrong with `address`, in the server's words, with the
/// `shippingAddress.` prefix the server uses.
pub fn problems(address: &Address) -> Vec<(String, String)> {
    let country = country(&address.country);
    let mut problems = Vec::new();
    let mut problem = |field: Field, message: &str| {
        problems.push((
            format!("shippingAddress.{}", field.name()),
            message.to_owned(),
        ));
    };
    if address.name.trim().is_empty() {
        problem(Name, "enter the full name");
    }
    if address.line1.trim().is_empty() {
        problem(Line1, "enter the street address");
    }
    if address.city.trim().is_empty() {
        problem(City, "enter the city");
    }
    let region_missing = address
        .region
        .as_deref()
        .is_none_or(|region| region.trim().is_empty());
    if let Region::Choice(label, _) = country.region
        && region_missing
    {
        problem(
            RegionField,
            &format!("choose a {}", label.to_ascii_lowercase()),
        );
    }
    if let Some(message) = rules::postal_code_problem(country.code, address.postal_code.trim()) {
        problem(PostalCode, message);
    }
    problems
}

/// One line a person reads an address by.
pub fn one_line(address: &Address) -> String {
    [
        Some(address.name.as_str()),
        Some(address.line1.as_str()),
        address.line2.as_deref(),
        Some(address.city.as_str()),
        address.region.as_deref(),
        Some(address.postal_code.as_str()),
        Some(address.country.as_str()),
    ]
    .into_iter()
    .flatten()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn address(country: &str, postal: &str, region: Option<&str>) -> Address {
        Address {
            city: "Springfield".into(),
            country: country.into(),
            line1: "1 Main St".into(),
            line2: None,
            name: "Ada Lovelace".into(),
            phone: None,
            postal_code: postal.into(),
            region: region.map(str::to_owned),
        }
    }

    #[wasm_bindgen_test]
    fn an_address_reads_as_one_line_without_empty_parts() {
        assert_eq!(
            one_line(&address("US", "94105", Some("CA"))),
            "Ada Lovelace, 1 Main St, Springfield, CA, 94105, US"
        );
        let mut erased = address("DE", "", None);
        erased.line1.clear();
        assert_eq!(one_line(&erased), "Ada Lovelace, Springfield, DE");
    }

    #[wasm_bindgen_test]
    fn each_country_has_its_own_order_and_labels() {
        assert_eq!(
            country("DE").fields[3],
            PostalCode,
            "German postal code before the city"
        );
        assert_eq!(
            country("JP").fields[1],
            PostalCode,
            "Japanese addresses start big"
        );
        assert_eq!(country("GB").label(PostalCode), "Postcode");
        assert_eq!(country("US").label(RegionField), "State");
        assert!(!country("FR").uses(RegionField));
    }

    #[wasm_bindgen_test]
    fn problems_name_the_server_fields() {
        assert!(problems(&address("US", "94105", Some("CA"))).is_empty());
        let fields: Vec<String> = problems(&address("US", "9410", None))
            .into_iter()
            .map(|(field, _)| field)
            .collect();
        assert_eq!(
            fields,
            ["shippingAddress.region", "shippingAddress.postalCode"]
        );
        assert!(problems(&address("GB", "SW1A 1AA", None)).is_empty());
        assert_eq!(problems(&address("JP", "100-0001", None)).len(), 1);
    }

    #[wasm_bindgen_test]
    fn each_country_writes_its_address_its_own_way() {
        assert_eq!(
            postal_lines(&address("US", "94105", Some("CA"))),
            [
                "Ada Lovelace",
                "1 Main St",
                "Springfield, CA 94105",
                "United States"
            ]
        );
        assert_eq!(
            postal_lines(&address("DE", "10115", None)),
            ["Ada Lovelace", "1 Main St", "10115 Springfield", "Germany"]
        );
        assert_eq!(
            postal_lines(&address("GB", "SW1A 1AA", None)),
            [
                "Ada Lovelace",
                "1 Main St",
                "Springfield",
                "SW1A 1AA",
                "United Kingdom"
            ]
        );
    }

    #[wasm_bindgen_test]
    fn states_are_offered_by_name_and_stored_by_code() {
        let Region::Choice(_, states) = country("US").region else {
            panic!("the US has states");
        };
        assert!(states.contains(&("CA", "California")));
        assert_eq!(states.len(), 51, "50 states and DC");
    }
}
