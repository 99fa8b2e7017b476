//! The two languages of the interface and text that exists in both.

use serde::{Deserialize, Serialize};

/// The interface language. Thai is the default everywhere. On the wire it is its code (`th`,
/// `en`), as in `?lang=`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Th,
    En,
}

impl Lang {
    /// The value used in `<html lang>`, the `lang` cookie and `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Th => "th",
            Lang::En => "en",
        }
    }

    /// Reads `th` or `en` (any case, surrounding space ignored); anything else is `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "th" => Some(Lang::Th),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the toggle.
    pub fn other(self) -> Lang {
        match self {
            Lang::Th => Lang::En,
            Lang::En => Lang::Th,
        }
    }

    /// Picks the text for this language.
    pub fn pick<'a>(self, th: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Th => th,
            Lang::En => en,
        }
    }
}

/// A name or text kept in Thai and, where known, English. English falls back to Thai.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    pub th: String,
    pub en: Option<String>,
}

impl Localized {
    /// Text with both languages.
    pub fn new(th: impl Into<String>, en: impl Into<String>) -> Self {
        let en = en.into();
        Localized {
            th: th.into(),
            en: (!en.trim().is_empty()).then_some(en),
        }
    }

    /// The text in `lang`, or the Thai text when there is no English.
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.en) {
            (Lang::En, Some(en)) => en,
            _ => &self.th,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_is_the_default_language() {
        assert_eq!(Lang::default(), Lang::Th);
    }

    #[test]
    fn language_codes_round_trip_and_reject_others() {
        for lang in [Lang::Th, Lang::En] {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code(" EN "), Some(Lang::En));
        assert_eq!(Lang::from_code("fr"), None);
    }

    #[test]
    fn english_falls_back_to_thai_when_missing() {
        let name = Localized::new("ขอนแก่น", "");
        assert_eq!(name.get(Lang::En), "ขอนแก่น");
        let name = Localized::new("ขอนแก่น", "Khon Kaen");
        assert_eq!(name.get(Lang::En), "Khon Kaen");
        assert_eq!(name.get(Lang::Th), "ขอนแก่น");
    }
}
