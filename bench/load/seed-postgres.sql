-- Bulk-loads :n tickets for client 'bench' straight into the tables (the API would take hours
-- for a million). Spread over three years, 10 000 members, all statuses and priorities.
INSERT INTO tickets (id, client_id, number, subject, description, status, priority_rank, category_id,
                     member_id, member_name, member_email, assignee_id, created_at, updated_at,
                     first_responded_at, resolved_at, closed_at, version, search_text)
SELECT gen_random_uuid()::text, 'bench', g,
       'Question ' || g, 'Member question number ' || g || ' about renewals and boat bookings.',
       (ARRAY['open','in_progress','waiting','resolved','closed'])[1 + g % 5],
       1 + g % 3, NULL,
       'member-' || (g % 10000), 'Member ' || (g % 10000), 'member' || (g % 10000) || '@example.org',
       CASE WHEN g % 4 = 0 THEN NULL ELSE 'agent-' || (g % 7) END,
       timestamp '2023-01-01' + g * interval '90 seconds',
       timestamp '2023-01-01' + g * interval '90 seconds' + interval '1 hour',
       CASE WHEN g % 5 >= 1 THEN timestamp '2023-01-01' + g * interval '90 seconds' + interval '30 minutes' END,
       CASE WHEN g % 5 >= 3 THEN timestamp '2023-01-01' + g * interval '90 seconds' + interval '5 hours' END,
       CASE WHEN g % 5 = 4 THEN timestamp '2023-01-01' + g * interval '90 seconds' + interval '6 hours' END,
       1,
       lower('Question ' || g || ' Member question number ' || g || ' about renewals and boat bookings.')
FROM generate_series(1, :n) AS g;
INSERT INTO ticket_counters (client_id, last_number) VALUES ('bench', :n);
ANALYZE;
