//! Column and sort types of `Table`. Never holds behaviour.

/// One column of a [`Table`](super::Table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableColumn {
    /// The header text.
    pub label: String,
    /// Right-aligned and sorted as numbers (digits are read, symbols like `$` ignored).
    pub numeric: bool,
    /// Whether the header sorts the rows.
    pub sortable: bool,
}

impl TableColumn {
    /// A sortable text column.
    pub fn text(label: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            numeric: false,
            sortable: true,
        }
    }

    /// A sortable numeric column.
    pub fn numeric(label: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            numeric: true,
            sortable: true,
        }
    }

    /// The same column, not sortable.
    pub fn unsortable(mut self) -> Self {
        self.sortable = false;
        self
    }
}

/// Sort order of a column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortDirection {
    /// Smallest first.
    #[default]
    Ascending,
    /// Largest first.
    Descending,
}

impl SortDirection {
    /// The `aria-sort` value.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Ascending => "ascending",
            Self::Descending => "descending",
        }
    }
}
