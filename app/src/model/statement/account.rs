//! Which bank account a statement belongs to. Banks print the account number above the table,
//! often masked ("xxx-x-x1234-x"); a campaign keeps its number in full. A statement of an
//! account the campaign never had is refused (its credits are not this campaign's money), and
//! the desk keeps each of the campaign's accounts' balances apart, so the statement imported last
//! never stands for "the bank balance".

/// Whether a number as a statement prints it, masked or not, can be `account` (digits in any
/// format): every printed digit equals the account's at its place. An unmasked number has as many
/// digits as the account; a masked one ("xxx-x-x1234-x", "******1234") is read from the right,
/// so a mask that shows only the last digits fits too.
pub fn fits(printed: &str, account: &str) -> bool {
    let places: Vec<char> = printed
        .chars()
        .filter(|c| c.is_ascii_digit() || is_mask(*c))
        .collect();
    let digits: Vec<char> = account.chars().filter(char::is_ascii_digit).collect();
    let masked = places.iter().any(|c| is_mask(*c));
    let lengths_agree = if masked {
        places.len() <= digits.len()
    } else {
        places.len() == digits.len()
    };
    !digits.is_empty()
        && !places.is_empty()
        && lengths_agree
        && places
            .iter()
            .rev()
            .zip(digits.iter().rev())
            .all(|(p, d)| !p.is_ascii_digit() || p == d)
}

fn is_mask(c: char) -> bool {
    matches!(c, 'x' | 'X' | '*')
}

/// The key a number is kept under: digits only when it is whole, as printed when masked.
fn as_key(printed: &str) -> String {
    if printed.chars().any(is_mask) {
        printed.chars().take(40).collect()
    } else {
        printed.chars().filter(char::is_ascii_digit).collect()
    }
}

/// Whose statement a file is, by the number it prints and the accounts the campaign has had
/// (digits only, its account now first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    /// The campaign's: the account its balance is kept under (the one the file's number fits,
    /// else the campaign's account now), or `None` when neither the file nor the campaign names
    /// a number.
    Campaign(Option<String>),
    /// A number that fits none of the campaign's accounts: another account's statement, whose
    /// credits must not be matched to this campaign's donations.
    Other,
}

/// Whose statement a file printing `printed` (if anything) is. A campaign that has never had an
/// account number takes the file's number as printed.
pub fn owner(printed: Option<&str>, known: &[String]) -> Owner {
    let printed = printed.map(str::trim).filter(|p| !p.is_empty());
    let known: Vec<&String> = known.iter().filter(|k| !k.is_empty()).collect();
    match printed {
        None => Owner::Campaign(known.first().map(|k| (*k).clone())),
        Some(p) if known.is_empty() => Owner::Campaign(Some(as_key(p))),
        Some(p) => known
            .iter()
            .find(|k| fits(p, k))
            .map_or(Owner::Other, |k| Owner::Campaign(Some((*k).clone()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_number_fits_the_account_it_shows() {
        assert!(fits("xxx-x-x1234-x", "123-4-51234-5"));
        assert!(fits("1234512345", "123-4-51234-5"));
        assert!(fits("******2345", "123-4-51234-5"));
        assert!(fits("xxxx2345", "123-4-51234-5"));
        assert!(!fits("xxx-x-x9999-x", "123-4-51234-5"));
        // A whole number one digit short is another account; a mask longer than the account too.
        assert!(!fits("123451234", "123-4-51234-5"));
        assert!(!fits("xx-xxx-x-x1234-x", "123-4-51234-5"));
        assert!(!fits("xxx-x-x1234-x", ""));
    }

    #[test]
    fn a_file_belongs_to_the_account_it_fits_or_to_another() {
        let known = ["1234512345".to_owned(), "9876543210".to_owned()];
        let campaign = |k: &str| Owner::Campaign(Some(k.to_owned()));
        assert_eq!(owner(Some("xxx-x-x1234-x"), &known), campaign("1234512345"));
        // A statement of the account the campaign had before a payee change is still its own.
        assert_eq!(owner(Some("xxx-x-x4321-x"), &known), campaign("9876543210"));
        assert_eq!(owner(None, &known), campaign("1234512345"));
        assert_eq!(owner(Some("xxx-x-x9999-x"), &known), Owner::Other);
        assert_eq!(
            owner(Some(" xxx-x-x9999-x "), &[]),
            campaign("xxx-x-x9999-x")
        );
        // A whole number is kept as its digits, so the next file's number finds it again.
        assert_eq!(owner(Some("123-4-56789-0"), &[]), campaign("1234567890"));
        assert_eq!(owner(None, &[]), Owner::Campaign(None));
        assert_eq!(owner(Some(""), &[]), Owner::Campaign(None));
    }
}
