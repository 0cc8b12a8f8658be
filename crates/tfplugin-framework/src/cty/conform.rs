//! Checking a value against a type, and inferring the type of a value placed under
//! `dynamic` without a [`Value::Dynamic`] wrapper.

use super::{AttributePath, CtyError, MAX_DEPTH, PathStep, Type, Value};

impl Value {
    /// Checks that this value has the shape of `ty`: the right kind at every level, every
    /// object attribute present and no others, tuple lengths equal. Null and unknown conform
    /// to every type. The error names the first offending path.
    pub fn conforms_to(&self, ty: &Type) -> Result<(), CtyError> {
        check(self, ty, &mut AttributePath::new(), 0)
    }

    /// The concrete type of a value: primitives, and collections whose elements agree.
    /// Null and unknown give `dynamic`. `None` when elements of one collection disagree.
    pub fn infer_type(&self) -> Option<Type> {
        infer(self, 0)
    }
}

/// Short name of a value's kind, for error messages.
pub(crate) fn kind_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Unknown(_) => "unknown",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a bool",
        Value::List(_) => "a list",
        Value::Set(_) => "a set",
        Value::Map(_) => "a map",
        Value::Object(_) => "an object",
        Value::Tuple(_) => "a tuple",
        Value::Dynamic(..) => "a dynamic value",
    }
}

fn check(value: &Value, ty: &Type, path: &mut AttributePath, depth: usize) -> Result<(), CtyError> {
    if depth > MAX_DEPTH {
        return Err(CtyError::at(
            path,
            format!("value is nested more than {MAX_DEPTH} levels deep"),
        ));
    }
    let mismatch = |path: &AttributePath| {
        CtyError::at(path, format!("expected {ty}, got {}", kind_name(value)))
    };
    match (ty, value) {
        (_, Value::Null | Value::Unknown(_)) => Ok(()),
        (Type::Dynamic, Value::Dynamic(inner_ty, inner)) => check(inner, inner_ty, path, depth + 1),
        (Type::Dynamic, other) => match other.infer_type() {
            Some(_) => Ok(()),
            None => Err(CtyError::at(
                path,
                "cannot tell the type of this value; wrap it in Value::Dynamic",
            )),
        },
        (_, Value::Dynamic(inner_ty, inner)) if inner_ty == ty => check(inner, ty, path, depth + 1),
        (Type::String, Value::String(_))
        | (Type::Number, Value::Number(_))
        | (Type::Bool, Value::Bool(_)) => Ok(()),
        (Type::List(element), Value::List(items)) | (Type::Set(element), Value::Set(items)) => {
            check_each(items.iter().map(|v| (v, &**element)), path, depth)
        }
        (Type::Tuple(types), Value::Tuple(items)) => {
            if types.len() != items.len() {
                return Err(CtyError::at(
                    path,
                    format!(
                        "expected a tuple of {} elements, got {}",
                        types.len(),
                        items.len()
                    ),
                ));
            }
            check_each(items.iter().zip(types), path, depth)
        }
        (Type::Map(element), Value::Map(entries)) => {
            for (key, v) in entries {
                path.push(PathStep::KeyString(key.clone()));
                check(v, element, path, depth + 1)?;
                path.pop();
            }
            Ok(())
        }
        (Type::Object { attributes, .. }, Value::Object(entries)) => {
            if let Some(extra) = entries.keys().find(|k| !attributes.contains_key(*k)) {
                return Err(CtyError::at(
                    path,
                    format!("unsupported attribute {extra:?} (not in {ty})"),
                ));
            }
            for (name, attr_ty) in attributes {
                path.push(PathStep::Attribute(name.clone()));
                match entries.get(name) {
                    Some(v) => check(v, attr_ty, path, depth + 1)?,
                    None => return Err(CtyError::at(path, "attribute is missing")),
                }
                path.pop();
            }
            Ok(())
        }
        _ => Err(mismatch(path)),
    }
}

fn check_each<'a>(
    items: impl Iterator<Item = (&'a Value, &'a Type)>,
    path: &mut AttributePath,
    depth: usize,
) -> Result<(), CtyError> {
    for (i, (v, t)) in items.enumerate() {
        path.push(PathStep::KeyInt(i as i64));
        check(v, t, path, depth + 1)?;
        path.pop();
    }
    Ok(())
}

fn infer(value: &Value, depth: usize) -> Option<Type> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match value {
        Value::Null | Value::Unknown(_) => Type::Dynamic,
        Value::String(_) => Type::String,
        Value::Number(_) => Type::Number,
        Value::Bool(_) => Type::Bool,
        Value::List(items) => Type::list(unify(items.iter(), depth)?),
        Value::Set(items) => Type::set(unify(items.iter(), depth)?),
        Value::Map(entries) => Type::map(unify(entries.values(), depth)?),
        Value::Object(entries) => Type::object(
            entries
                .iter()
                .map(|(k, v)| Some((k.clone(), infer(v, depth + 1)?)))
                .collect::<Option<Vec<_>>>()?,
        ),
        Value::Tuple(items) => Type::Tuple(
            items
                .iter()
                .map(|v| infer(v, depth + 1))
                .collect::<Option<_>>()?,
        ),
        Value::Dynamic(ty, _) => ty.clone(),
    })
}

/// The one element type all elements share, ignoring null/unknown elements.
fn unify<'a>(items: impl Iterator<Item = &'a Value>, depth: usize) -> Option<Type> {
    let mut found: Option<Type> = None;
    for item in items {
        let ty = infer(item, depth + 1)?;
        if ty == Type::Dynamic {
            continue;
        }
        match &found {
            None => found = Some(ty),
            Some(existing) if *existing == ty => {}
            Some(_) => return None,
        }
    }
    Some(found.unwrap_or(Type::Dynamic))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapup_type() -> Type {
        Type::object([
            ("id", Type::String),
            ("tags", Type::map(Type::String)),
            ("items", Type::list(Type::object([("n", Type::Number)]))),
        ])
    }

    #[test]
    fn matching_value_conforms() {
        let v = Value::object([
            ("id", Value::unknown()),
            ("tags", Value::map([("env", "prod".into())])),
            ("items", Value::list([Value::object([("n", 1i64.into())])])),
        ]);
        assert_eq!(v.conforms_to(&wrapup_type()), Ok(()));
    }

    #[test]
    fn mismatches_name_the_path() {
        let v = Value::object([
            ("id", "x".into()),
            ("tags", Value::map([("env", 1i64.into())])),
            ("items", Value::Null),
        ]);
        let err = v.conforms_to(&wrapup_type()).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"tags["env"]: expected string, got a number"#
        );

        let v = Value::object([("id", "x".into()), ("tags", Value::Null)]);
        let err = v.conforms_to(&wrapup_type()).unwrap_err();
        assert_eq!(err.to_string(), "items: attribute is missing");

        let v = Value::object([
            ("id", "x".into()),
            ("tags", Value::Null),
            ("items", Value::list([Value::object([("m", 1i64.into())])])),
        ]);
        let err = v.conforms_to(&wrapup_type()).unwrap_err();
        assert_eq!(err.path(), &AttributePath::root("items").key_int(0));
    }

    #[test]
    fn inferred_types_ignore_null_elements_and_reject_mixed_ones() {
        let v = Value::list([Value::Null, "a".into()]);
        assert_eq!(v.infer_type(), Some(Type::list(Type::String)));
        assert_eq!(
            Value::list([]).infer_type(),
            Some(Type::list(Type::Dynamic))
        );
        assert_eq!(Value::list(["a".into(), true.into()]).infer_type(), None);
        assert!(
            Value::list(["a".into(), true.into()])
                .conforms_to(&Type::Dynamic)
                .is_err()
        );
    }
}
