/// An arbitrary-precision cty number, kept in its canonical decimal text form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Number(String);
