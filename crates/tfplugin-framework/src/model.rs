//! Typed models of Terraform values: one struct per schema, with null and unknown explicit,
//! converted to and from [`cty::Value`](crate::cty::Value) here and nowhere else.
//!
//! # Design
//! - **[`TfValue<T>`]** is an attribute as Terraform sends it: [`TfValue::Null`],
//!   [`TfValue::Unknown`] (keeping the unknown's refinements, so a plan read into a model and
//!   written back is unchanged) or [`TfValue::Known`].
//! - **[`tf_model!`](crate::tf_model)** declares a model: a plain struct whose field names
//!   *are* the attribute names (`stringify!` of the field), so no attribute name is written as
//!   a string anywhere. It implements [`CtyConvert`] (decode, encode, cty type) and [`Model`]
//!   (the whole-object entry points). A declarative macro rather than serde over cty values:
//!   it is read in one screen, needs no new dependency (a proc-macro crate would cost compile
//!   time on our 2-core builder), and a value's null/unknown never has to pass through serde's
//!   data model, which has no unknown.
//! - **[`attr_path!`](crate::attr_path)`(Model.field)`** is the attribute path of a field for
//!   diagnostics and `requires_replace`, and [`attr_name!`](crate::attr_name) the name schemas
//!   declare their attributes with; neither compiles when the model has no such field.
//! - **The schema is checked against the model**, not derived from it: schemas carry
//!   descriptions and flags that read better where they are written. [`schema_mismatches`]
//!   compares a model with a schema's value type both ways (attribute without field, field
//!   without attribute, different types); each type's unit test calls
//!   `assert_model_matches` (test builds).
//! - Decoding is tolerant where Terraform is: an attribute missing from the object reads as
//!   null (values built by hand in tests, older states) and attributes the model does not know
//!   are ignored. A value of the wrong type is a [`ModelError`] with the path of the offending
//!   attribute, which becomes an attribute-scoped diagnostic: it means a provider bug, since
//!   Terraform conforms values to the schema before sending them.
//!
//! Supported field types: `String`, `bool`, `i64`, [`Number`], `Vec<T>` (list), `BTreeSet<T>`
//! (set), `BTreeMap<String, T>` (map), another model (object), and [`TfValue`] of any of
//! these. Sets of objects are not supported yet (models are not `Ord`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::Diagnostics;
use crate::cty::{AttributePath, Number, PathStep, Refinements, Type, Value};

/// An attribute's value: null, unknown (until apply) or known.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum TfValue<T> {
    #[default]
    Null,
    /// Not known until apply, with what Terraform knows about it anyway.
    Unknown(Refinements),
    Known(T),
}

impl<T> TfValue<T> {
    /// A wholly unknown value without refinements ("known after apply").
    pub fn unknown() -> Self {
        TfValue::Unknown(Refinements::default())
    }

    /// The value when known.
    pub fn known(&self) -> Option<&T> {
        match self {
            TfValue::Known(value) => Some(value),
            TfValue::Null | TfValue::Unknown(_) => None,
        }
    }

    /// The value when known, by value.
    pub fn into_known(self) -> Option<T> {
        match self {
            TfValue::Known(value) => Some(value),
            TfValue::Null | TfValue::Unknown(_) => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, TfValue::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, TfValue::Unknown(_))
    }

    pub fn is_known(&self) -> bool {
        matches!(self, TfValue::Known(_))
    }

    /// Borrows the known value.
    pub fn as_ref(&self) -> TfValue<&T> {
        match self {
            TfValue::Null => TfValue::Null,
            TfValue::Unknown(refinements) => TfValue::Unknown(refinements.clone()),
            TfValue::Known(value) => TfValue::Known(value),
        }
    }

    /// Maps the known value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> TfValue<U> {
        match self {
            TfValue::Null => TfValue::Null,
            TfValue::Unknown(refinements) => TfValue::Unknown(refinements),
            TfValue::Known(value) => TfValue::Known(f(value)),
        }
    }
}

impl TfValue<String> {
    /// The text when known.
    pub fn as_str(&self) -> Option<&str> {
        self.known().map(String::as_str)
    }
}

/// `None` is null.
impl<T> From<Option<T>> for TfValue<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(TfValue::Null, TfValue::Known)
    }
}

impl From<&str> for TfValue<String> {
    fn from(text: &str) -> Self {
        TfValue::Known(text.to_owned())
    }
}

impl From<String> for TfValue<String> {
    fn from(text: String) -> Self {
        TfValue::Known(text)
    }
}

/// A value that did not have the type its model field declares.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: expected {expected}, got {got}")]
pub struct ModelError {
    /// Where in the object the value is.
    pub path: AttributePath,
    /// The type the model wants.
    pub expected: String,
    /// What came instead.
    pub got: String,
}

impl ModelError {
    fn new(expected: &Type, got: &Value) -> Self {
        ModelError {
            path: AttributePath::new(),
            expected: expected.to_string(),
            got: describe(got),
        }
    }

    /// This error, one step further from the root (decoders prepend as they unwind).
    pub fn within(mut self, step: PathStep) -> Self {
        self.path.0.insert(0, step);
        self
    }

    /// The error as a diagnostic on its attribute.
    pub fn to_diagnostics(&self) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        diagnostics.attribute_error(
            self.path.clone(),
            "Unexpected value from Terraform",
            format!(
                "{self}. Terraform sends values of the schema's types, so this is a bug in the \
                 provider."
            ),
        );
        diagnostics
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Unknown(_) => "an unknown value".into(),
        Value::String(_) => "a string".into(),
        Value::Number(_) => "a number".into(),
        Value::Bool(_) => "a bool".into(),
        Value::List(_) => "a list".into(),
        Value::Set(_) => "a set".into(),
        Value::Map(_) => "a map".into(),
        Value::Object(_) => "an object".into(),
        Value::Tuple(_) => "a tuple".into(),
        Value::Dynamic(_, inner) => describe(inner),
    }
}

/// A Rust type that stands for a cty type: how a model field is decoded and encoded.
pub trait CtyConvert: Sized {
    /// The cty type of values of this field.
    fn cty_type() -> Type;
    /// Reads a value. Null and unknown are errors here unless the type is a [`TfValue`].
    fn decode(value: &Value) -> Result<Self, ModelError>;
    /// Writes the value.
    fn encode(&self) -> Value;
}

impl<T: CtyConvert> CtyConvert for TfValue<T> {
    fn cty_type() -> Type {
        T::cty_type()
    }
    fn decode(value: &Value) -> Result<Self, ModelError> {
        match value.unwrap_dynamic() {
            Value::Null => Ok(TfValue::Null),
            Value::Unknown(refinements) => Ok(TfValue::Unknown(refinements.clone())),
            known => T::decode(known).map(TfValue::Known),
        }
    }
    fn encode(&self) -> Value {
        match self {
            TfValue::Null => Value::Null,
            TfValue::Unknown(refinements) => Value::Unknown(refinements.clone()),
            TfValue::Known(value) => value.encode(),
        }
    }
}

impl CtyConvert for String {
    fn cty_type() -> Type {
        Type::String
    }
    fn decode(value: &Value) -> Result<Self, ModelError> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| ModelError::new(&Type::String, value))
    }
    fn encode(&self) -> Value {
        Value::String(self.clone())
    }
}

impl CtyConvert for bool {
    fn cty_type() -> Type {
        Type::Bool
    }
    fn decode(value: &Value) -> Result<Self, ModelError> {
        value
            .as_bool()
            .ok_or_else(|| ModelError::new(&Type::Bool, value))
    }
    fn encode(&self) -> Value {
        Value::Bool(*self)
    }
}

impl CtyConvert for Number {
    fn cty_type() -> Type {
        Type::Number
    }
    fn decode(value: &Value) -> Result<Self, ModelError> {
        value
            .as_number()
            .cloned()
            .ok_or_else(|| ModelError::new(&Type::Number, value))
    }
    fn encode(&self) -> Value {
        Value::Number(self.clone())
    }
}

/// A whole number; a fraction or a number out of range is an error.
impl CtyConvert for i64 {
    fn cty_type() -> Type {
        Type::Number
    }
    fn decode(value: &Value) -> Result<Self, ModelError> {
        value.as_i64().ok_or_else(|| ModelError {
            expected: "a whole number".into(),
            ..ModelError::new(&Type::Number, value)
        })
    }
    fn encode(&self) -> Value {
        Value::from(*self)
    }
}

fn decode_elements<T: CtyConvert>(elements: &[Value]) -> Result<Vec<T>, ModelError> {
    elements
        .iter()
        .enumerate()
        .map(|(index, element)| {
            T::decode(element).map_err(|error| error.within(PathStep::KeyInt(index as i64)))
        })
        .collect()
}

/// A list.
impl<T: CtyConvert> CtyConvert for Vec<T> {
    fn cty_type() -> Type {
        Type::list(T::cty_type())
    }
    fn decode(value: &Value) -> Result<Self, ModelError> {
        match value.unwrap_dynamic() {
            Value::List(elements) | Value::Tuple(elements) => decode_elements(elements),
            other => Err(ModelError::new(&Self::cty_type(), other)),
        }
    }
    fn encode(&self) -> Value {
        Value::List(self.iter().map(CtyConvert::encode).collect())
    }
}

/// A set.
impl<T: CtyConvert + Ord> CtyConvert for BTreeSet<T> {
    fn cty_type() -> Type {
        Type::set(T::cty_type())
    }
    fn decode(value: &Value) -> Result<Self, ModelError> {
        match value.unwrap_dynamic() {
            Value::Set(elements) => Ok(decode_elements(elements)?.into_iter().collect()),
            other => Err(ModelError::new(&Self::cty_type(), other)),
        }
    }
    fn encode(&self) -> Value {
        Value::Set(self.iter().map(CtyConvert::encode).collect())
    }
}

/// A map with string keys.
impl<T: CtyConvert> CtyConvert for BTreeMap<String, T> {
    fn cty_type() -> Type {
        Type::map(T::cty_type())
    }
    fn decode(value: &Value) -> Result<Self, ModelError> {
        match value.unwrap_dynamic() {
            Value::Map(entries) => entries
                .iter()
                .map(|(key, element)| {
                    T::decode(element)
                        .map(|decoded| (key.clone(), decoded))
                        .map_err(|error| error.within(PathStep::KeyString(key.clone())))
                })
                .collect(),
            other => Err(ModelError::new(&Self::cty_type(), other)),
        }
    }
    fn encode(&self) -> Value {
        Value::Map(
            self.iter()
                .map(|(key, element)| (key.clone(), element.encode()))
                .collect(),
        )
    }
}

/// A model of a whole configuration, plan, state or identity object (what [`tf_model!`]
/// declares). The entry points resources use.
///
/// [`tf_model!`]: crate::tf_model
pub trait Model: CtyConvert {
    /// The attribute names, in declaration order.
    const ATTRIBUTES: &'static [&'static str];

    /// Reads an object value into the model; a wrong type becomes a diagnostic on its path.
    fn from_value(value: &Value) -> Result<Self, Diagnostics> {
        Self::decode(value).map_err(|error| error.to_diagnostics())
    }

    /// Like [`Model::from_value`], adding the error to `diagnostics` (`None` then).
    fn read(value: &Value, diagnostics: &mut Diagnostics) -> Option<Self> {
        match Self::from_value(value) {
            Ok(model) => Some(model),
            Err(error) => {
                diagnostics.extend(error);
                None
            }
        }
    }

    /// The object value of the model.
    fn to_value(&self) -> Value {
        self.encode()
    }
}

/// Reads attribute `name` of `attributes` for a model field (missing reads as null).
#[doc(hidden)]
pub fn decode_field<T: CtyConvert>(
    attributes: &BTreeMap<String, Value>,
    name: &str,
) -> Result<T, ModelError> {
    T::decode(attributes.get(name).unwrap_or(&Value::Null))
        .map_err(|error| error.within(PathStep::Attribute(name.to_owned())))
}

/// The attributes of an object value for a model's decoder.
#[doc(hidden)]
pub fn object_attributes<'a>(
    value: &'a Value,
    ty: &Type,
) -> Result<&'a BTreeMap<String, Value>, ModelError> {
    match value.unwrap_dynamic() {
        Value::Object(attributes) => Ok(attributes),
        other => Err(ModelError::new(ty, other)),
    }
}

/// Declares a model struct and its conversion. Field names are the attribute names.
///
/// ```ignore
/// tf_model! {
///     /// State of `example_thing`.
///     pub struct ThingModel {
///         pub id: TfValue<String>,
///         pub tags: TfValue<Vec<TfValue<String>>>,
///     }
/// }
/// ```
#[macro_export]
macro_rules! tf_model {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $( $(#[$field_meta:meta])* $field_vis:vis $field:ident : $field_ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        $vis struct $name {
            $( $(#[$field_meta])* $field_vis $field: $field_ty, )*
        }

        impl $crate::model::CtyConvert for $name {
            fn cty_type() -> $crate::cty::Type {
                $crate::cty::Type::object([
                    $( (
                        stringify!($field),
                        <$field_ty as $crate::model::CtyConvert>::cty_type(),
                    ), )*
                ])
            }
            fn decode(
                value: &$crate::cty::Value,
            ) -> ::std::result::Result<Self, $crate::model::ModelError> {
                let attributes =
                    $crate::model::object_attributes(value, &Self::cty_type())?;
                ::std::result::Result::Ok($name {
                    $( $field: $crate::model::decode_field(
                        attributes,
                        stringify!($field),
                    )?, )*
                })
            }
            fn encode(&self) -> $crate::cty::Value {
                $crate::cty::Value::object([
                    $( (
                        stringify!($field),
                        $crate::model::CtyConvert::encode(&self.$field),
                    ), )*
                ])
            }
        }

        impl $crate::model::Model for $name {
            const ATTRIBUTES: &'static [&'static str] = &[$( stringify!($field) ),*];
        }
    };
}

/// The attribute name of a model field: `attr_name!(ThingModel.name)` is `"name"`. Fails to
/// compile when the model has no such field; schemas declare their attributes with it.
#[macro_export]
macro_rules! attr_name {
    ($model:ident . $field:ident) => {{
        let _field_exists = |model: &$model| {
            let _ = &model.$field;
        };
        stringify!($field)
    }};
}

/// The attribute path of a model field: `attr_path!(ThingModel.name)` is the path `name`.
/// Fails to compile when the model has no such field, so a diagnostic cannot point at an
/// attribute that does not exist. For a nested attribute, extend the path with
/// [`AttributePath::key_int`] and [`attr_path_join`].
#[macro_export]
macro_rules! attr_path {
    ($model:ident . $field:ident) => {
        $crate::cty::AttributePath::root($crate::attr_name!($model.$field))
    };
}

/// `head` followed by the steps of `tail`, e.g. `attr_path!(List.items).key_int(0)` joined
/// with `attr_path!(Item.name)` is `items[0].name`.
pub fn attr_path_join(mut head: AttributePath, tail: AttributePath) -> AttributePath {
    head.0.extend(tail.0);
    head
}

/// What differs between model `M` and a schema whose values have type `schema_type` (from
/// [`Schema::value_type`](crate::Schema::value_type) or
/// [`IdentitySchema::value_type`](crate::IdentitySchema::value_type)): schema
/// attributes without a field, fields without an attribute, and types that differ. Empty when
/// they agree.
pub fn schema_mismatches<M: Model>(schema_type: &Type) -> Vec<String> {
    let model_type = M::cty_type();
    let (Some(model), Some(schema)) = (model_type.attribute_types(), schema_type.attribute_types())
    else {
        return vec![format!(
            "the schema's values are {schema_type}, not an object the model can read"
        )];
    };
    let mut mismatches = Vec::new();
    for (name, ty) in schema {
        match model.get(name) {
            None => mismatches.push(format!("schema attribute `{name}` has no model field")),
            Some(field) if !same_shape(field, ty) => mismatches.push(format!(
                "attribute `{name}` is {ty} in the schema but {field} in the model"
            )),
            Some(_) => {}
        }
    }
    for name in model.keys().filter(|name| !schema.contains_key(*name)) {
        mismatches.push(format!("model field `{name}` has no schema attribute"));
    }
    mismatches
}

/// Types equal up to which object attributes are optional (a schema's nested blocks may
/// mark some; a model's object is read the same way either way).
fn same_shape(a: &Type, b: &Type) -> bool {
    match (a, b) {
        (Type::List(a), Type::List(b))
        | (Type::Set(a), Type::Set(b))
        | (Type::Map(a), Type::Map(b)) => same_shape(a, b),
        (Type::Object { attributes: a, .. }, Type::Object { attributes: b, .. }) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((na, ta), (nb, tb))| na == nb && same_shape(ta, tb))
        }
        (Type::Tuple(a), Type::Tuple(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_shape(a, b))
        }
        (a, b) => a == b,
    }
}

/// Panics, listing every difference, unless model `M` matches the schema value type (for
/// each type's unit test).
#[track_caller]
pub fn assert_model_matches<M: Model>(schema_type: &Type) {
    let mismatches = schema_mismatches::<M>(schema_type);
    assert!(
        mismatches.is_empty(),
        "model and schema disagree:\n{}",
        Mismatches(&mismatches)
    );
}

struct Mismatches<'a>(&'a [String]);

impl fmt::Display for Mismatches<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in self.0 {
            writeln!(f, "- {line}")?;
        }
        Ok(())
    }
}

/// Every model in `values` round-trips: decoding then encoding gives the value back, and
/// encoding then decoding gives the model back (for each type's unit test).
#[track_caller]
pub fn assert_round_trips<M: Model + fmt::Debug + PartialEq>(models: &[M]) {
    for model in models {
        let value = model.to_value();
        let decoded = M::from_value(&value).expect("a model's own value decodes");
        assert_eq!(&decoded, model, "model -> value -> model");
        assert_eq!(decoded.to_value(), value, "value -> model -> value");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Attribute, Block, NestedBlock, Nesting, Schema};

    crate::tf_model! {
        /// A nested object.
        pub struct Item {
            pub key: TfValue<String>,
            pub weight: TfValue<Number>,
        }
    }

    crate::tf_model! {
        /// A model with every supported kind of field.
        pub struct Thing {
            pub id: TfValue<String>,
            pub enabled: TfValue<bool>,
            pub count: TfValue<i64>,
            pub tags: TfValue<Vec<TfValue<String>>>,
            pub member_ids: TfValue<BTreeSet<String>>,
            pub labels: TfValue<BTreeMap<String, String>>,
            pub item: TfValue<Item>,
            pub items: TfValue<Vec<Item>>,
        }
    }

    crate::tf_model! {
        /// `Thing` without `count`: a model missing a schema attribute.
        pub struct ThingWithoutCount {
            pub id: TfValue<String>,
            pub enabled: TfValue<bool>,
            pub tags: TfValue<Vec<TfValue<String>>>,
            pub member_ids: TfValue<BTreeSet<String>>,
            pub labels: TfValue<BTreeMap<String, String>>,
            pub item: TfValue<Item>,
            pub items: TfValue<Vec<Item>>,
        }
    }

    fn attribute(name: &str, ty: Type) -> Attribute {
        Attribute::optional(name, ty)
    }

    fn item_block() -> Block {
        Block {
            attributes: vec![
                attribute("key", Type::String),
                attribute("weight", Type::Number),
            ],
            ..Block::default()
        }
    }

    fn thing_schema() -> Schema {
        Schema {
            version: 0,
            block: Block {
                attributes: vec![
                    attribute("id", Type::String),
                    attribute("enabled", Type::Bool),
                    attribute("count", Type::Number),
                    attribute("tags", Type::list(Type::String)),
                    attribute("member_ids", Type::set(Type::String)),
                    attribute("labels", Type::map(Type::String)),
                    attribute(
                        "item",
                        Type::object_with_optional(
                            [("key", Type::String), ("weight", Type::Number)],
                            ["weight"],
                        ),
                    ),
                ],
                block_types: vec![NestedBlock {
                    type_name: "items".into(),
                    block: item_block(),
                    nesting: Nesting::List,
                    min_items: 0,
                    max_items: 0,
                }],
                ..Block::default()
            },
        }
    }

    fn known_thing() -> Thing {
        Thing {
            id: "t-1".into(),
            enabled: TfValue::Known(true),
            count: TfValue::Known(3),
            tags: TfValue::Known(vec!["a".into(), TfValue::Null, TfValue::unknown()]),
            member_ids: TfValue::Known(["m1".to_owned(), "m2".to_owned()].into()),
            labels: TfValue::Known([("env".to_owned(), "prod".to_owned())].into()),
            item: TfValue::Known(Item {
                key: "k".into(),
                weight: TfValue::Known(Number::from(2)),
            }),
            items: TfValue::Known(vec![
                Item::default(),
                Item {
                    key: TfValue::unknown(),
                    weight: TfValue::Known("1.5".parse().unwrap()),
                },
            ]),
        }
    }

    #[test]
    fn every_kind_of_field_round_trips_known_null_and_unknown() {
        let refined = TfValue::Unknown(Refinements {
            nullable: Some(false),
            string_prefix: Some("t-".into()),
            ..Refinements::default()
        });
        let all_unknown = Thing {
            id: refined,
            enabled: TfValue::unknown(),
            count: TfValue::unknown(),
            tags: TfValue::unknown(),
            member_ids: TfValue::unknown(),
            labels: TfValue::unknown(),
            item: TfValue::unknown(),
            items: TfValue::unknown(),
        };
        assert_round_trips(&[known_thing(), Thing::default(), all_unknown]);
    }

    #[test]
    fn values_read_into_fields_by_attribute_name() {
        let value = Value::object([
            ("id", Value::string("t-1")),
            ("enabled", Value::Null),
            ("count", Value::unknown()),
            (
                "items",
                Value::list([Value::object([("key", Value::string("k"))])]),
            ),
            ("not_in_the_model", Value::bool(true)),
        ]);
        let thing = Thing::from_value(&value).unwrap();
        assert_eq!(thing.id.as_str(), Some("t-1"));
        assert!(thing.enabled.is_null());
        assert!(thing.count.is_unknown());
        assert!(thing.tags.is_null(), "a missing attribute reads as null");
        let items = thing.items.known().unwrap();
        assert_eq!(items[0].key.as_str(), Some("k"));
        assert_eq!(thing.to_value().get_attr("id"), Some(&Value::string("t-1")));
    }

    #[test]
    fn a_wrong_type_is_an_error_on_its_path() {
        let value = Value::object([(
            "items",
            Value::list([
                Value::object([("key", Value::string("ok"))]),
                Value::object([("key", Value::bool(false))]),
            ]),
        )]);
        let error = Thing::decode(&value).unwrap_err();
        assert_eq!(error.path.to_string(), "items[1].key");
        assert_eq!(error.expected, "string");
        assert_eq!(error.got, "a bool");
        let diagnostics = Thing::from_value(&value).unwrap_err();
        assert_eq!(diagnostics.0[0].attribute, Some(error.path));

        let fraction = Value::object([("count", Value::number("1.5".parse::<Number>().unwrap()))]);
        assert_eq!(
            Thing::decode(&fraction).unwrap_err().path,
            attr_path!(Thing.count)
        );
        assert!(Thing::decode(&Value::Null).is_err());
    }

    #[test]
    fn paths_come_from_fields() {
        assert_eq!(
            attr_path!(Thing.member_ids),
            AttributePath::root("member_ids")
        );
        assert_eq!(crate::attr_name!(Item.weight), "weight");
        let nested = attr_path_join(attr_path!(Thing.items).key_int(2), attr_path!(Item.key));
        assert_eq!(nested.to_string(), "items[2].key");
        assert_eq!(
            Thing::ATTRIBUTES,
            [
                "id",
                "enabled",
                "count",
                "tags",
                "member_ids",
                "labels",
                "item",
                "items"
            ]
        );
    }

    #[test]
    fn a_model_matching_its_schema_has_no_mismatches() {
        assert_model_matches::<Thing>(&thing_schema().value_type());
        assert_model_matches::<Item>(&item_block().value_type());
    }

    #[test]
    fn a_schema_attribute_without_a_field_is_a_mismatch() {
        assert_eq!(
            schema_mismatches::<ThingWithoutCount>(&thing_schema().value_type()),
            vec!["schema attribute `count` has no model field"]
        );
        let result = std::panic::catch_unwind(|| {
            assert_model_matches::<ThingWithoutCount>(&thing_schema().value_type())
        });
        assert!(
            result.is_err(),
            "the schema test fails on the missing field"
        );
    }

    #[test]
    fn a_field_without_a_schema_attribute_is_a_mismatch() {
        let mut schema = thing_schema();
        schema.block.attributes.retain(|a| a.name != "labels");
        schema.block.block_types.clear();
        assert_eq!(
            schema_mismatches::<Thing>(&schema.value_type()),
            vec![
                "model field `items` has no schema attribute",
                "model field `labels` has no schema attribute",
            ]
        );
    }

    #[test]
    fn a_field_of_another_type_is_a_mismatch() {
        let mut schema = thing_schema();
        schema.block.attributes[2].ty = Type::String;
        assert_eq!(
            schema_mismatches::<Thing>(&schema.value_type()),
            vec!["attribute `count` is string in the schema but number in the model"]
        );
    }
}
