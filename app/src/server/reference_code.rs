//! Public reference codes for donations: what a donor keeps to find their gift.
//!
//! 16 characters from a 30-character alphabet without look-alikes (no 0/O, 1/I/L, U) give about
//! 78 bits of randomness, so codes cannot be guessed or enumerated. Shown in groups of four.

const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A fresh, random reference code such as `PP-7K3M-9QX2-HT4W-RB8C`.
pub fn generate() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    let mut code = String::from("PP");
    for i in 0..16u32 {
        if i.is_multiple_of(4) {
            code.push('-');
        }
        code.push(char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]));
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_documented_shape_and_differ() {
        let a = generate();
        assert_eq!(a.len(), 2 + 4 * 5);
        assert!(a.starts_with("PP-"));
        assert!(a[3..]
            .chars()
            .all(|c| c == '-' || ALPHABET.contains(&(c as u8))));
        assert_ne!(a, generate());
    }
}
