-- The SQLite twin of seed-postgres.sql; the count comes in as the first row of `bench_n`.
WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < (SELECT n FROM bench_n)),
     u(x, h) AS (SELECT x, lower(hex(randomblob(16))) FROM g)
INSERT INTO tickets (id, client_id, number, subject, description, status, priority_rank, category_id,
                     member_id, member_name, member_email, assignee_id, created_at, updated_at,
                     first_responded_at, resolved_at, closed_at, version, search_text)
SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-8' || substr(h, 18, 3) || '-' || substr(h, 21, 12),
       'bench', x,
       'Question ' || x, 'Member question number ' || x || ' about renewals and boat bookings.',
       CASE x % 5 WHEN 0 THEN 'open' WHEN 1 THEN 'in_progress' WHEN 2 THEN 'waiting' WHEN 3 THEN 'resolved' ELSE 'closed' END,
       1 + x % 3, NULL,
       'member-' || (x % 10000), 'Member ' || (x % 10000), 'member' || (x % 10000) || '@example.org',
       CASE WHEN x % 4 = 0 THEN NULL ELSE 'agent-' || (x % 7) END,
       strftime('%Y-%m-%d %H:%M:%f', '2023-01-01', '+' || (x * 90) || ' seconds'),
       strftime('%Y-%m-%d %H:%M:%f', '2023-01-01', '+' || (x * 90 + 3600) || ' seconds'),
       CASE WHEN x % 5 >= 1 THEN strftime('%Y-%m-%d %H:%M:%f', '2023-01-01', '+' || (x * 90 + 1800) || ' seconds') END,
       CASE WHEN x % 5 >= 3 THEN strftime('%Y-%m-%d %H:%M:%f', '2023-01-01', '+' || (x * 90 + 18000) || ' seconds') END,
       CASE WHEN x % 5 = 4 THEN strftime('%Y-%m-%d %H:%M:%f', '2023-01-01', '+' || (x * 90 + 21600) || ' seconds') END,
       1,
       lower('Question ' || x || ' Member question number ' || x || ' about renewals and boat bookings.')
FROM u;
INSERT INTO ticket_counters (client_id, last_number) VALUES ('bench', (SELECT n FROM bench_n));
DROP TABLE bench_n;
ANALYZE;
