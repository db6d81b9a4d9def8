//! The documents both indexes are written with: tantivy indexes any `Document` type without
//! converting it, and this one holds a text two fields index (words, prefixes) once.

use std::sync::Arc;
use tantivy::schema::document::{Document, ReferenceValue, ReferenceValueLeaf, Value};
use tantivy::schema::Field;

#[derive(Debug, Default)]
pub(super) struct IndexDoc {
    values: Vec<(Field, FieldValue)>,
}

#[derive(Debug)]
pub(super) enum FieldValue {
    Str(String),
    I64(i64),
    /// Cut by the field's tokenizer (`tokenizer.rs`); shared by the fields of one text.
    Text(Arc<str>),
}

impl IndexDoc {
    pub(super) fn add_text(&mut self, field: Field, text: impl Into<String>) {
        self.values.push((field, FieldValue::Str(text.into())));
    }

    pub(super) fn add_i64(&mut self, field: Field, value: i64) {
        self.values.push((field, FieldValue::I64(value)));
    }

    pub(super) fn add_shared_text(&mut self, field: Field, text: Arc<str>) {
        self.values.push((field, FieldValue::Text(text)));
    }
}

type FieldValues<'a> = std::iter::Map<
    std::slice::Iter<'a, (Field, FieldValue)>,
    fn(&'a (Field, FieldValue)) -> (Field, &'a FieldValue),
>;

impl Document for IndexDoc {
    type Value<'a> = &'a FieldValue;
    type FieldsValuesIter<'a> = FieldValues<'a>;

    fn iter_fields_and_values(&self) -> FieldValues<'_> {
        self.values.iter().map(|(field, value)| (*field, value))
    }
}

impl<'a> Value<'a> for &'a FieldValue {
    type ArrayIter = std::iter::Empty<Self>;
    type ObjectIter = std::iter::Empty<(&'a str, Self)>;

    fn as_value(&self) -> ReferenceValue<'a, Self> {
        ReferenceValue::Leaf(match self {
            FieldValue::Str(text) => ReferenceValueLeaf::Str(text),
            FieldValue::I64(n) => ReferenceValueLeaf::I64(*n),
            FieldValue::Text(text) => ReferenceValueLeaf::Str(text),
        })
    }
}
