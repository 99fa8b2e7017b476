//! Names on a bank statement: the payer's name the bank prints after "จาก" or "from", and the
//! comparison of a donor's name with it. A name is only ever a hint shown to an officer, never
//! evidence that matches on its own, because anyone can type any name into a pledge.

/// Words banks print in their own texts (and channel names). A donor's name made only of them
/// ("รับโอนเงิน", "PromptPay") is no hint at all.
const BANK_WORDS: [&str; 34] = [
    "รับโอนเงิน",
    "รับโอน",
    "โอนเงิน",
    "เงินโอน",
    "โอน",
    "พร้อมเพย์",
    "PROMPTPAY",
    "ชำระเงิน",
    "ชำระ",
    "ฝากเงิน",
    "ฝาก",
    "รับเงิน",
    "เงินเข้า",
    "ถอนเงิน",
    "ค่าธรรมเนียม",
    "ธนาคาร",
    "บัญชี",
    "รายการ",
    "จาก",
    "FROM",
    "TRANSFER",
    "PAYMENT",
    "DEPOSIT",
    "BILL",
    "QR",
    "KPLUS",
    "KBIZ",
    "KBANK",
    "SCB",
    "KTB",
    "BBL",
    "TTB",
    "GSB",
    "BAY",
];

/// Titles printed before names: English ones as words of their own, Thai ones written on.
const ENGLISH_TITLES: [&str; 6] = ["MR", "MRS", "MISS", "MS", "DR", "KHUN"];
const THAI_TITLES: [&str; 6] = ["นางสาว", "นาย", "นาง", "นส", "คุณ", "ดร"];

/// Letters and digits kept in a name; Thai vowel and tone marks are not alphanumeric but are
/// part of a name.
fn kept(c: char) -> bool {
    c.is_alphanumeric() || ('\u{0E31}'..='\u{0E4E}').contains(&c)
}

/// A name's words upper-cased without punctuation, and without the title before it: what two
/// spellings of one name share (`นาย สมชาย ใจดี` and `สมชาย ใจดี` are both `สมชายใจดี`).
pub fn plain_name(text: &str) -> String {
    let mut words = text
        .split(|c: char| !kept(c))
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .peekable();
    if words
        .peek()
        .is_some_and(|w| ENGLISH_TITLES.contains(&w.as_str()))
    {
        words.next();
    }
    let joined: String = words.collect();
    for title in THAI_TITLES {
        if let Some(rest) = joined.strip_prefix(title) {
            if !rest.is_empty() {
                return rest.to_owned();
            }
        }
    }
    joined
}

/// Whether `name` says nothing about a person: empty, too short, or made only of the bank's own
/// words (a pledge named "รับโอนเงิน" or "PromptPay" would otherwise look like every credit).
pub fn is_bank_words(name: &str) -> bool {
    let mut rest = name
        .chars()
        .filter(|c| kept(*c))
        .collect::<String>()
        .to_uppercase();
    loop {
        let before = rest.len();
        for word in BANK_WORDS {
            rest = rest.replace(word, "");
        }
        if rest.len() == before {
            break;
        }
    }
    rest.chars().filter(|c| c.is_alphabetic()).count() < 2
}

/// The payer's name the bank shows, plain: the words after "จาก" or "from", less account
/// fragments (`X1234`, `xxx-x-x1234-x`), bank and channel words, and the title. `None` when
/// the text names no payer.
pub fn payer_name(bank_text: &str) -> Option<String> {
    let lower = bank_text.to_lowercase();
    let start = ["จาก", "from "]
        .iter()
        .filter_map(|w| lower.find(w).map(|at| at + w.len()))
        .min()?;
    // Byte offsets in the lower-cased text can differ from the original's only for letters
    // whose lower case has another length; read the rest from the lower-cased text instead.
    let rest = &lower[start..];
    let words: Vec<&str> = rest
        .split_whitespace()
        .skip_while(|w| w.chars().any(|c| c.is_ascii_digit()) || is_bank_words(w))
        .take_while(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .collect();
    let name = plain_name(&words.join(" "));
    (name.chars().count() >= 2 && !is_bank_words(&name)).then_some(name)
}

/// Whether a donor's name, as typed on a pledge, is the payer the bank shows: the whole name,
/// titles and spacing aside, never a part of the bank's text.
pub fn same_payer(donor: &str, bank_text: &str) -> bool {
    if is_bank_words(donor) {
        return false;
    }
    let donor = plain_name(donor);
    payer_name(bank_text).is_some_and(|payer| donor.chars().count() >= 2 && payer == donor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_spaces_do_not_count_in_names() {
        assert_eq!(plain_name("นาย สมชาย  ใจดี"), "สมชายใจดี");
        assert_eq!(plain_name("Mr. Somchai Jaidee"), "SOMCHAIJAIDEE");
        assert_eq!(plain_name("คุณสมชาย ใจดี"), "สมชายใจดี");
        assert_eq!(
            plain_name("MRSOMCHAI"),
            "MRSOMCHAI",
            "a name that starts like a title keeps it"
        );
    }

    #[test]
    fn the_payer_is_the_name_after_from_without_account_or_title() {
        assert_eq!(
            payer_name("รับโอนเงิน จาก X1234  นาย สมชาย ใจดี").as_deref(),
            Some("สมชายใจดี")
        );
        assert_eq!(
            payer_name("Transfer from KBANK X9876 Mr Somchai Jaidee").as_deref(),
            Some("SOMCHAIJAIDEE")
        );
        assert_eq!(payer_name("รับโอนเงิน PromptPay"), None);
        assert_eq!(payer_name("จาก X1234"), None);
    }

    #[test]
    fn names_made_of_bank_words_are_no_hint() {
        for name in [
            "รับโอนเงิน",
            "PromptPay",
            "โอนเงิน พร้อมเพย์",
            "ชำระเงิน",
            " k plus ",
        ] {
            assert!(is_bank_words(name), "{name}");
        }
        for name in ["สมชาย ใจดี", "Somchai"] {
            assert!(!is_bank_words(name), "{name}");
        }
    }

    #[test]
    fn a_donor_is_the_payer_only_by_the_whole_name() {
        let text = "รับโอนเงิน จาก X1234 นาย สมชาย ใจดี";
        assert!(same_payer("สมชาย ใจดี", text));
        assert!(same_payer("คุณสมชาย ใจดี", text));
        assert!(
            !same_payer("สมชาย", text),
            "a part of the name is not the name"
        );
        assert!(!same_payer("รับโอนเงิน", text), "the bank's own words");
        assert!(!same_payer("ใจดี", text));
        assert!(
            !same_payer("สมชาย ใจดี", "รับโอนเงิน PromptPay"),
            "no payer shown"
        );
    }
}
