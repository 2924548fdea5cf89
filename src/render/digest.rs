//! A page's fingerprint: any `Serialize` value fed straight into an xxh3-128 hash, each
//! part tagged and each string and byte string preceded by its length, so two different
//! values never give the same stream of bytes. Unlike hashing the value's JSON it copies
//! and escapes nothing (a page view carries whole SVG charts).

use serde::ser::{self, Serialize};
use std::fmt;
use xxhash_rust::xxh3::Xxh3;

/// The 128-bit xxh3 of `parts`, hashed in order.
pub fn digest(parts: &[&dyn erased::Part]) -> u128 {
    let mut h = Hasher {
        hash: Xxh3::new(),
        buf: Vec::with_capacity(BUF),
    };
    for part in parts {
        part.feed(&mut h);
    }
    h.hash.update(&h.buf);
    h.hash.digest128()
}

/// Small parts (tags, numbers, short strings) are gathered up to this many bytes before the
/// hash takes them: it takes large blocks much faster than many small ones.
const BUF: usize = 8 * 1024;

/// Object-safe serialisation into the hasher, so `digest` takes values of any type.
pub mod erased {
    use super::Hasher;

    /// A value `digest` can hash.
    pub trait Part {
        fn feed(&self, h: &mut Hasher);
    }

    impl<T: serde::Serialize + ?Sized> Part for T {
        fn feed(&self, h: &mut Hasher) {
            match self.serialize(&mut *h) {
                Ok(()) => {}
                Err(never) => match never {},
            }
        }
    }
}

/// The hash being fed, with the small parts not yet handed to it.
pub struct Hasher {
    hash: Xxh3,
    buf: Vec<u8>,
}

/// Hashing cannot fail; serde still asks for an error type.
#[derive(Debug)]
pub enum Never {}

impl fmt::Display for Never {
    fn fmt(&self, _: &mut fmt::Formatter) -> fmt::Result {
        match *self {}
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        panic!("a page view failed to serialise: {msg}")
    }
}

// One tag byte per kind of part.
const UNIT: u8 = 0;
const BOOL: u8 = 1;
const INT: u8 = 2;
const UINT: u8 = 3;
const FLOAT: u8 = 4;
const CHAR: u8 = 5;
const STR: u8 = 6;
const BYTES: u8 = 7;
const NONE: u8 = 8;
const SOME: u8 = 9;
const VARIANT: u8 = 10;
const OPEN: u8 = 11;
const CLOSE: u8 = 12;
const NEWTYPE: u8 = 13;

impl Hasher {
    fn put(&mut self, bytes: &[u8]) {
        if self.buf.len() + bytes.len() > BUF {
            self.hash.update(&self.buf);
            self.buf.clear();
        }
        match bytes.len() >= BUF / 2 {
            true => self.hash.update(bytes),
            false => self.buf.extend_from_slice(bytes),
        }
    }

    fn tag(&mut self, tag: u8) {
        self.put(&[tag]);
    }

    fn len_prefixed(&mut self, tag: u8, bytes: &[u8]) {
        self.tag(tag);
        self.put(&(bytes.len() as u64).to_le_bytes());
        self.put(bytes);
    }

    fn int(&mut self, v: i128) {
        self.tag(INT);
        self.put(&v.to_le_bytes());
    }

    fn uint(&mut self, v: u128) {
        self.tag(UINT);
        self.put(&v.to_le_bytes());
    }
}

type Res = Result<(), Never>;

/// Every integer, widened: signed ones to `i128` (`INT`), unsigned ones to `u128` (`UINT`).
macro_rules! integers {
    ($($method:ident($t:ty) => $put:ident),* $(,)?) => {$(
        fn $method(self, v: $t) -> Res {
            self.$put(v.into());
            Ok(())
        }
    )*};
}

impl ser::Serializer for &mut Hasher {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Res {
        self.tag(BOOL);
        self.tag(v as u8);
        Ok(())
    }
    integers! {
        serialize_i8(i8) => int, serialize_i16(i16) => int, serialize_i32(i32) => int,
        serialize_i64(i64) => int, serialize_i128(i128) => int,
        serialize_u8(u8) => uint, serialize_u16(u16) => uint, serialize_u32(u32) => uint,
        serialize_u64(u64) => uint, serialize_u128(u128) => uint,
    }
    fn serialize_f32(self, v: f32) -> Res {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Res {
        self.tag(FLOAT);
        self.put(&v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Res {
        self.tag(CHAR);
        self.put(&u32::from(v).to_le_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Res {
        self.len_prefixed(STR, v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Res {
        self.len_prefixed(BYTES, v);
        Ok(())
    }
    fn serialize_none(self) -> Res {
        self.tag(NONE);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Res {
        self.tag(SOME);
        v.serialize(self)
    }
    fn serialize_unit(self) -> Res {
        self.tag(UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Res {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Res {
        self.len_prefixed(VARIANT, variant.as_bytes());
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Res {
        self.tag(NEWTYPE);
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Res {
        self.len_prefixed(VARIANT, variant.as_bytes());
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Never> {
        self.tag(OPEN);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Never> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self, Never> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.len_prefixed(VARIANT, variant.as_bytes());
        self.serialize_seq(None)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Never> {
        self.serialize_seq(None)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        self.serialize_seq(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.len_prefixed(VARIANT, variant.as_bytes());
        self.serialize_seq(None)
    }
}

/// Every compound part: its elements (and a struct's field names) between `OPEN` and `CLOSE`.
macro_rules! compound {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for &mut Hasher {
            type Ok = ();
            type Error = Never;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Res {
                v.serialize(&mut **self)
            }
            fn end(self) -> Res {
                self.tag(CLOSE);
                Ok(())
            }
        }
    )*};
}
compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Hasher {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Res {
        k.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Res {
        v.serialize(&mut **self)
    }
    fn end(self) -> Res {
        self.tag(CLOSE);
        Ok(())
    }
}

/// A struct's fields as a map's entries: a skipped field leaves no trace, as in JSON.
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut Hasher {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Res {
                self.len_prefixed(STR, key.as_bytes());
                v.serialize(&mut **self)
            }
            fn end(self) -> Res {
                self.tag(CLOSE);
                Ok(())
            }
        }
    )*};
}
fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct View {
        title: String,
        rows: Vec<(String, Option<f64>)>,
    }

    fn of(title: &str, rows: &[(&str, Option<f64>)]) -> u128 {
        let v = View {
            title: title.to_string(),
            rows: rows.iter().map(|(s, x)| (s.to_string(), *x)).collect(),
        };
        digest(&[&"template.html", &v])
    }

    #[test]
    fn equal_values_digest_alike_and_any_difference_shows() {
        let base = of("a", &[("x", Some(1.0)), ("y", None)]);
        assert_eq!(base, of("a", &[("x", Some(1.0)), ("y", None)]));
        // A changed string, number, absence, order, or a string's bytes moved between parts.
        for other in [
            of("b", &[("x", Some(1.0)), ("y", None)]),
            of("a", &[("x", Some(1.5)), ("y", None)]),
            of("a", &[("x", Some(1.0)), ("y", Some(0.0))]),
            of("a", &[("y", None), ("x", Some(1.0))]),
            of("a", &[("xy", Some(1.0)), ("", None)]),
            of("a", &[("x", Some(1.0))]),
            of("a", &[("x", Some(1.0)), ("y", None), ("y", None)]),
        ] {
            assert_ne!(base, other);
        }
        // Parts are delimited: "ab" then "c" is not "a" then "bc".
        assert_ne!(digest(&[&"ab", &"c"]), digest(&[&"a", &"bc"]));
        assert_ne!(digest(&[&-0.0f64]), digest(&[&0.0f64]));
        // A string longer than the buffer, alone or after small parts, changed in its middle.
        let long = "x".repeat(3 * BUF);
        let mut changed = long.clone();
        changed.replace_range(BUF..BUF + 1, "y");
        assert_eq!(digest(&[&1u8, &long]), digest(&[&1u8, &long.clone()]));
        assert_ne!(digest(&[&1u8, &long]), digest(&[&1u8, &changed]));
        assert_ne!(digest(&[&long]), digest(&[&changed]));
    }
}
