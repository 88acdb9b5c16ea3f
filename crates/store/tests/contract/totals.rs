//! Queue totals are exact up to `TOTAL_COUNT_CAP` and say so when they stop there.

use super::*;
use memberdesk_domain::query::TOTAL_COUNT_CAP;

contract!(totals_are_exact_up_to_the_cap);

/// Bulk-inserts `n` open tickets for `client` straight into the table (the API would take
/// minutes for ten thousand).
async fn bulk_tickets(db: &TestDatabase, client: &str, n: i64) {
    let select = "'{client}', x, 'Bulk ' || x, 'Bulk ticket', 'open', 2, NULL, 'm', 'M', 'm@example.org', NULL, \
                  '2026-01-01 00:00:00', '2026-01-01 00:00:00', NULL, NULL, NULL, 1, 'bulk ticket'";
    let columns = "(id, client_id, number, subject, description, status, priority_rank, category_id, member_id, \
                   member_name, member_email, assignee_id, created_at, updated_at, first_responded_at, \
                   resolved_at, closed_at, version, search_text)";
    let sql = match db.backend() {
        Backend::Postgres => format!(
            "INSERT INTO tickets {columns} SELECT gen_random_uuid()::text, {} FROM generate_series(1, {n}) AS x",
            select.replace("{client}", client)
        ),
        Backend::Sqlite => format!(
            "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < {n}) \
             INSERT INTO tickets {columns} SELECT lower(hex(randomblob(16))), {} FROM g",
            select.replace("{client}", client)
        ),
    };
    db.execute(&sql).await;
}

async fn totals_are_exact_up_to_the_cap(backend: Backend) {
    let (store, db) = fresh_store(backend).await;
    let many = client("many");
    bulk_tickets(&db, "many", TOTAL_COUNT_CAP + 5).await;
    let page = store.list_tickets(&many, &TicketFilter::default(), Sort::default(), None, 10).await.unwrap();
    assert_eq!((page.total, page.total_exact), (TOTAL_COUNT_CAP, false), "capped");
    assert_eq!(page.items.len(), 10);

    let few = client("few");
    bulk_tickets(&db, "few", TOTAL_COUNT_CAP).await;
    let page = store.list_tickets(&few, &TicketFilter::default(), Sort::default(), None, 10).await.unwrap();
    assert_eq!((page.total, page.total_exact), (TOTAL_COUNT_CAP, true), "exactly at the cap is exact");

    let none = TicketFilter { statuses: vec![Status::Closed], ..TicketFilter::default() };
    let page = store.list_tickets(&many, &none, Sort::default(), None, 10).await.unwrap();
    assert_eq!((page.total, page.total_exact), (0, true));
}
