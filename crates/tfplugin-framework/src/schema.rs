use crate::cty::Type;

/// A versioned schema: for the provider, a resource, a data source, a list resource's
/// `config` block, or an action.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
}

/// A configuration block: attributes and nested blocks. Descriptions are Markdown.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    pub attributes: Vec<Attribute>,
    pub block_types: Vec<NestedBlock>,
    pub description: String,
    pub deprecated: bool,
}

/// One attribute. Exactly one of required / optional / computed-only describes who sets it.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub ty: Type,
    pub description: String,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub write_only: bool,
    pub deprecated: bool,
}

impl Attribute {
    /// An attribute of `name` and `ty` that the configuration must set, like
    /// terraform-plugin-framework's `schema.StringAttribute{Required: true}`. Chain
    /// [`Attribute::description`] and the other setters for the rest.
    pub fn required(name: impl Into<String>, ty: Type) -> Self {
        Attribute {
            required: true,
            ..Attribute::new(name.into(), ty)
        }
    }

    /// An attribute the configuration may set; null when it does not.
    pub fn optional(name: impl Into<String>, ty: Type) -> Self {
        Attribute {
            optional: true,
            ..Attribute::new(name.into(), ty)
        }
    }

    /// An attribute the configuration may set; when it does not, the provider does.
    pub fn optional_computed(name: impl Into<String>, ty: Type) -> Self {
        Attribute {
            optional: true,
            computed: true,
            ..Attribute::new(name.into(), ty)
        }
    }

    /// An attribute only the provider sets (read-only in configuration).
    pub fn computed(name: impl Into<String>, ty: Type) -> Self {
        Attribute {
            computed: true,
            ..Attribute::new(name.into(), ty)
        }
    }

    /// The attribute, when `computed`, also set by the provider where the configuration
    /// leaves it null (optional and computed): for one set of inputs that one type computes
    /// and another does not.
    pub fn computed_when(self, computed: bool) -> Self {
        Attribute {
            computed: self.computed || computed,
            ..self
        }
    }

    /// The attribute with its (Markdown) description.
    pub fn description(self, description: impl Into<String>) -> Self {
        Attribute {
            description: description.into(),
            ..self
        }
    }

    /// The attribute marked sensitive: Terraform hides its value in plans and output.
    pub fn sensitive(self) -> Self {
        Attribute {
            sensitive: true,
            ..self
        }
    }

    /// The attribute marked write-only: Terraform never stores it in state or plan.
    pub fn write_only(self) -> Self {
        Attribute {
            write_only: true,
            ..self
        }
    }

    /// The attribute marked deprecated.
    pub fn deprecated(self) -> Self {
        Attribute {
            deprecated: true,
            ..self
        }
    }

    fn new(name: String, ty: Type) -> Self {
        Attribute {
            name,
            ty,
            description: String::new(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            write_only: false,
            deprecated: false,
        }
    }
}

/// How a nested block repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    Single,
    List,
    Set,
    Map,
    Group,
}

/// A nested block type inside a [`Block`].
#[derive(Debug, Clone, PartialEq)]
pub struct NestedBlock {
    pub type_name: String,
    pub block: Block,
    pub nesting: Nesting,
    pub min_items: i64,
    pub max_items: i64,
}

/// The identity schema of a managed resource (Terraform 1.12+).
#[derive(Debug, Clone, PartialEq)]
pub struct IdentitySchema {
    pub version: i64,
    pub attributes: Vec<IdentityAttribute>,
}

/// One attribute of a resource identity.
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityAttribute {
    pub name: String,
    pub ty: Type,
    pub description: String,
    pub required_for_import: bool,
    pub optional_for_import: bool,
}

impl Schema {
    /// The object type values of this schema have on the wire.
    pub fn value_type(&self) -> Type {
        self.block.value_type()
    }
}

impl Block {
    /// The object type a block's values have: one attribute per schema attribute and per
    /// nested block type (a list, set or map of objects, or a single object).
    pub fn value_type(&self) -> Type {
        let attributes = self
            .attributes
            .iter()
            .map(|attribute| (attribute.name.clone(), attribute.ty.clone()));
        let blocks = self.block_types.iter().map(|nested| {
            let object = nested.block.value_type();
            let ty = match nested.nesting {
                Nesting::Single | Nesting::Group => object,
                Nesting::List => Type::list(object),
                Nesting::Set => Type::set(object),
                Nesting::Map => Type::map(object),
            };
            (nested.type_name.clone(), ty)
        });
        Type::object(attributes.chain(blocks))
    }

    /// The attribute named `name`, if the block has one.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|attribute| attribute.name == name)
    }
}

impl IdentitySchema {
    /// An identity of one string attribute that import requires, version 0: the shape of a
    /// type identified by one ID.
    pub fn single_id(name: &str, description: &str) -> Self {
        IdentitySchema {
            version: 0,
            attributes: vec![IdentityAttribute {
                name: name.into(),
                ty: Type::String,
                description: description.into(),
                required_for_import: true,
                optional_for_import: false,
            }],
        }
    }

    /// The object type identity values have on the wire.
    pub fn value_type(&self) -> Type {
        Type::object(
            self.attributes
                .iter()
                .map(|attribute| (attribute.name.clone(), attribute.ty.clone())),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attribute(name: &str, ty: Type) -> Attribute {
        Attribute::optional(name, ty)
    }

    #[test]
    fn the_builder_sets_who_sets_an_attribute_and_nothing_else() {
        let roles = |a: &Attribute| (a.required, a.optional, a.computed);
        assert_eq!(
            roles(&Attribute::required("a", Type::String)),
            (true, false, false)
        );
        assert_eq!(
            roles(&Attribute::optional("a", Type::String)),
            (false, true, false)
        );
        assert_eq!(
            roles(&Attribute::optional_computed("a", Type::String)),
            (false, true, true)
        );
        assert_eq!(
            roles(&Attribute::computed("a", Type::String)),
            (false, false, true)
        );
        assert_eq!(
            roles(&Attribute::optional("a", Type::String).computed_when(true)),
            (false, true, true)
        );
        assert_eq!(
            roles(&Attribute::optional("a", Type::String).computed_when(false)),
            (false, true, false)
        );
        let secret = Attribute::optional("token", Type::String)
            .description("A token.")
            .sensitive()
            .write_only();
        assert_eq!(secret.description, "A token.");
        assert!(secret.sensitive && secret.write_only && !secret.deprecated);
    }

    #[test]
    fn value_type_has_attributes_and_nested_blocks_by_nesting() {
        let inner = Block {
            attributes: vec![attribute("key", Type::String)],
            ..Block::default()
        };
        let nested = |name: &str, nesting| NestedBlock {
            type_name: name.to_string(),
            block: inner.clone(),
            nesting,
            min_items: 0,
            max_items: 0,
        };
        let block = Block {
            attributes: vec![attribute("id", Type::String), attribute("n", Type::Number)],
            block_types: vec![
                nested("one", Nesting::Single),
                nested("many", Nesting::List),
                nested("bag", Nesting::Set),
                nested("named", Nesting::Map),
                nested("group", Nesting::Group),
            ],
            ..Block::default()
        };
        let object = Type::object([("key", Type::String)]);
        assert_eq!(
            block.value_type(),
            Type::object([
                ("id", Type::String),
                ("n", Type::Number),
                ("one", object.clone()),
                ("many", Type::list(object.clone())),
                ("bag", Type::set(object.clone())),
                ("named", Type::map(object.clone())),
                ("group", object),
            ])
        );
    }
}
