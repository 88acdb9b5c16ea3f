//! The demo desk's knowledge base: six published help articles of the Harbour City Rowing
//! Association, covering what its members ask about most (the demo tickets' topics). Seeded
//! through the use cases; a run creates only the articles whose title is missing, so re-runs
//! never duplicate anything (and an article an admin edited or unpublished is left alone).

use memberdesk_domain::usecases::ArticleInput;
use memberdesk_domain::{Actor, Desk, DeskError};

/// One help article of the demo: title, tags and body (published when seeded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoArticle {
    pub title: &'static str,
    pub tags: &'static [&'static str],
    pub body: &'static str,
}

const ARTICLES: [DemoArticle; 6] = [
    DemoArticle {
        title: "Membership renewal and fees",
        tags: &["membership", "renewal", "fees", "direct debit"],
        body: "Memberships run from 1 April to 31 March. You can renew from the members' area: sign in, open \
               \"My membership\" and choose \"Renew\". Renewal opens on 1 March and your membership stays active \
               while the renewal is processed.\n\n\
               Annual fees for 2026/27: full £420, student and under-25 £210, junior (under 18) £150, family \
               (two adults and their children under 18) £890, social £60. You can pay in one go by card, or in \
               twelve monthly instalments by direct debit at no extra cost.\n\n\
               If a direct debit fails we retry it after five working days and email you; your membership is not \
               suspended while we sort it out. A late payment fee of £15 applies only when a renewal is still \
               unpaid 30 days after the due date.\n\n\
               Need a break? You can pause your membership for one to six months (placements, injury, parental \
               leave) from \"My membership\" → \"Pause\"; no fees are taken while it is paused. Invoices and \
               receipts for every payment are under \"My membership\" → \"Payments\".",
    },
    DemoArticle {
        title: "Resetting your password or unlocking your account",
        tags: &["password", "login", "account", "portal"],
        body: "To reset your member portal password, choose \"Forgot password\" on the sign-in page and enter the \
               email address you joined with. The reset link arrives within a few minutes and is valid for one \
               hour; only the newest link works.\n\n\
               No email? Check your spam or junk folder, and make sure you are using the address on your \
               membership record — a typo on the joining form is the most common cause. If it still does not \
               arrive, raise a ticket and we will check the address we hold.\n\n\
               After five wrong passwords in a row your account is locked for 30 minutes to protect it. Wait for \
               the lock to expire and then reset your password; staff can unlock it sooner if you raise a \
               ticket.\n\n\
               The learning portal (coaching and safety courses) and the boat booking app have their own \
               passwords: use \"Forgot password\" on their own sign-in pages. If the booking app keeps logging \
               you out, update it to the latest version and sign in again.",
    },
    DemoArticle {
        title: "Booking boats and sessions",
        tags: &["booking", "boats", "sessions", "booking app"],
        body: "Club boats and coached sessions are booked in the booking app, up to 14 days ahead. Sessions open \
               for booking at 8:00 each morning for the day two weeks later.\n\n\
               Each boat is marked with the rating you need to take it out (novice, intermediate or \
               experienced); the app only offers boats your rating allows. Novices may book the novice singles \
               and doubles once they have completed Learn to Row; crew boats need a qualified cox or coach on \
               the booking.\n\n\
               Please cancel a booking you will not use at least 12 hours ahead so someone else can have the \
               boat. Three no-shows in a month suspend your booking rights for two weeks.\n\n\
               A boat that is damaged or under repair is marked out of use and cannot be booked. If the app \
               still shows a boat under repair as available, do not take it out: raise a ticket in Boats & \
               Equipment and tell us which boat it is.",
    },
    DemoArticle {
        title: "Refunds and cancellations",
        tags: &["refund", "cancellation", "billing", "payments"],
        body: "Coached sessions, courses and events cancelled by the club are always refunded in full to the card \
               you paid with; refunds show on your statement within 5–7 working days.\n\n\
               If you cancel a session or course yourself at least 48 hours before it starts, you get a full \
               refund. Later cancellations are not refunded, but you can transfer your place to another member \
               — tell us their name in a ticket.\n\n\
               Regatta entry fees are refunded if the organisers cancel the race or your crew does not get a \
               place in the draw. Once the draw is published, entry fees are not refundable.\n\n\
               Membership fees are not refunded part-way through the year, but you can pause your membership \
               instead. If you were charged twice or charged the wrong amount, raise a ticket in Billing: \
               duplicate payments are refunded within 5 working days of us confirming them.",
    },
    DemoArticle {
        title: "Lockers and keys",
        tags: &["lockers", "keys", "boathouse", "membership card"],
        body: "Lockers in the changing rooms are let for the season (April to March) for £35, added to your \
               membership invoice. Ask for one in a ticket; we will reply with your locker number and leave \
               the key in the key safe at the boathouse.\n\n\
               Lost your locker key? We keep a spare for every locker. A replacement costs £10 to cover a new \
               cut; if your original turns up, hand it in and we cancel the charge. Raise a ticket in Boats & \
               Equipment and tell us when you will next be at the boathouse.\n\n\
               Your membership card opens the boathouse door between 5:30 and 22:00. If it stops working, your \
               membership may be paused or a payment may have failed; otherwise the card needs re-registering \
               at the office. Never lend your card or share the key safe code with non-members.",
    },
    DemoArticle {
        title: "Safety and weather cancellations",
        tags: &["safety", "weather", "cancellation", "flags"],
        body: "The duty coach checks the river before every session against the flag system on the boathouse \
               noticeboard and in the booking app: green — all crews may go out; amber — experienced crews \
               only, with a launch on the water; red — no boats go out.\n\n\
               Sessions are cancelled for red flags, winds above 25 knots, fog, thunder and lightning, water \
               temperatures below 5 °C for novices, and ice. We decide by 6:00 for morning sessions and by \
               15:00 for evening sessions, and send a notification and an email to everyone booked. Sessions \
               cancelled for safety are refunded in full or moved to another date, as you prefer.\n\n\
               On the water: always wear the club's kit in poor light, carry a phone in a waterproof pouch, and \
               follow the circulation pattern posted at the landing stage. If you capsize, stay with the boat, \
               and report every incident — however small — to the duty coach the same day.",
    },
];

/// The published help articles the demo desk starts with.
pub fn demo_articles() -> Vec<DemoArticle> {
    ARTICLES.to_vec()
}

/// Publishes the demo articles that are missing (by title, drafts included).
pub(crate) async fn seed_articles(desk: &Desk, admin: &Actor) -> Result<usize, DeskError> {
    let present = desk.list_articles(admin, true).await?;
    let mut created = 0;
    for article in ARTICLES {
        if present.iter().any(|a| a.title.as_str() == article.title) {
            continue;
        }
        let input = ArticleInput {
            title: article.title.to_owned(),
            body: article.body.to_owned(),
            tags: article.tags.iter().map(|t| (*t).to_owned()).collect(),
            published: true,
        };
        desk.create_article(admin, input).await?;
        created += 1;
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;
    use memberdesk_domain::FieldErrors;
    use memberdesk_domain::kb::{ArticleBody, ArticleTitle, parse_tags};

    #[test]
    fn every_article_is_valid_and_distinct() {
        for article in ARTICLES {
            assert!(ArticleTitle::new(article.title).is_ok(), "{}", article.title);
            assert!(ArticleBody::new(article.body).is_ok(), "{}", article.title);
            let mut errors = FieldErrors::new();
            let raw: Vec<String> = article.tags.iter().map(|t| (*t).to_owned()).collect();
            assert_eq!(parse_tags(&raw, "tags", &mut errors), Some(raw.clone()), "already normalised");
            assert!(article.body.len() > 400, "a useful article says enough: {}", article.title);
        }
        let mut titles: Vec<&str> = ARTICLES.iter().map(|a| a.title).collect();
        titles.sort_unstable();
        titles.dedup();
        assert_eq!(titles.len(), ARTICLES.len());
    }
}
