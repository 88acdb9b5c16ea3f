//! SLA clock (stub while building).
pub mod business_time;
pub mod calendar;
