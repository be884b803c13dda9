//! JSONata (being written)
