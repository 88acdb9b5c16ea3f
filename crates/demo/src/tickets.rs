//! The demo tickets of the Harbour City Rowing Association, oldest first.
//!
//! Each row is one ticket: who raised it, who works it, its category and final priority, the
//! shape of its conversation ([`Flow`]) and the texts particular to it. Staff replies get a
//! greeting and the agent's signature when they are sent; member messages get the member's
//! first name. Texts a flow does not use are left out.
//!
//! Members (by index): 0 James Whitfield, 1 Sofia Marquez, 2 Aidan O'Connell, 3 Mei Lin Chen,
//! 4 Grace Adeyemi, 5 Oliver Brandt, 6 Hannah Kowalski, 7 Rahul Mehta, 8 Eilidh MacLeod,
//! 9 Daniel Sørensen, 10 Chloe Dubois, 11 Marcus Reid.

use crate::script::{Agent, Flow, Topic};
use memberdesk_domain::Priority::{High, Low, Medium};

pub(crate) const BILLING: &str = "Billing";
pub(crate) const MEMBERSHIP: &str = "Membership";
pub(crate) const EVENTS: &str = "Events";
pub(crate) const LMS: &str = "LMS";
pub(crate) const DIRECTORY: &str = "Directory";
pub(crate) const BOATS: &str = "Boats & Equipment";

pub(crate) const CATEGORIES: [&str; 6] = [BILLING, MEMBERSHIP, EVENTS, LMS, DIRECTORY, BOATS];

/// Helen Fraser, the admin: tickets she handles herself stay unassigned.
const HELEN: Agent = Agent::Admin;
/// Priya Natarajan: membership, billing and the directory.
const PRIYA: Agent = Agent::Staff(0);
/// Tom Okafor: boats, coaching courses and events.
const TOM: Agent = Agent::Staff(1);

const BLANK: Topic = Topic {
    category: MEMBERSHIP,
    member: 0,
    agent: HELEN,
    by_staff: false,
    priority: Medium,
    flow: Flow::New,
    subject: "",
    body: "",
    reply: "",
    follow_up: "",
    resolution: "",
    note: "",
};

pub(crate) const TOPICS: &[Topic] = &[
    // 1
    Topic {
        category: BILLING,
        member: 9,
        agent: PRIYA,
        priority: High,
        flow: Flow::ClosedAfterThanks,
        subject: "Direct debit failed - is my membership suspended?",
        body: "I've just had an email saying my monthly direct debit failed and that my membership may be \
               suspended. As far as I know nothing has changed with my bank account and there was plenty of \
               money in it. Can you tell me what went wrong and how I pay the missed amount? I don't want to \
               lose access to the boats over the weekend.",
        reply: "Sorry for the worry. I've checked with our payments provider and the collection on the 1st was \
                returned with the reason 'instruction cancelled', which usually happens when a bank moves an \
                account or issues new details. Your membership is not suspended: there is a 14-day grace \
                period. Could you confirm whether your bank details have changed recently, so I can send you \
                a fresh mandate link?",
        follow_up: "Ah, my bank did move my account to a new sort code last month. I didn't realise that would \
                    cancel the mandate. Yes please, send the link.",
        resolution: "I've sent a new direct debit mandate to your email address. Once you complete it, the \
                     missed payment will be collected together with next month's, so there's nothing else to \
                     do. Your access to the boat booking system is unaffected in the meantime.",
        note: "Mandate cancelled by the bank (account transferred). Re-sent the mandate link from the payments \
               dashboard and waived the failed-payment fee.",
        ..BLANK
    },
    // 2
    Topic {
        category: BOATS,
        member: 5,
        agent: TOM,
        flow: Flow::ClosedByMember,
        subject: "Rack space for my private single scull",
        body: "I've bought my own single scull (an 8.2 m racing single) and would like to keep it at the club. \
               Is there a rack space available, and what does it cost per year? I'm happy to take a top rack \
               if that's all there is.",
        reply: "Congratulations on the new boat! We have two private rack spaces free in the east bay, both at \
                middle height, at £180 a year including insurance cover while the boat is on club premises. \
                Could you let me know which day you'd like to bring it down, and send me the hull \
                identification number for our register?",
        follow_up: "Middle height is perfect. The hull number is FLP-19-0452 and I can bring it down on \
                    Saturday morning.",
        resolution: "Rack E-7 is yours and is labelled from Saturday. I've added the boat to the private boat \
                     register and the annual fee will appear on your next invoice. Please make sure it has \
                     your name and the club sticker on the bow.",
        note: "Allocated rack E-7. Rack fee added to Oliver's account, prorated from the first of next month.",
        ..BLANK
    },
    // 3
    Topic {
        category: MEMBERSHIP,
        member: 1,
        agent: PRIYA,
        flow: Flow::ClosedStale,
        subject: "Switching to family membership",
        body: "My two children (13 and 15) have both finished the junior taster sessions and want to join \
               properly. At the moment I pay for an individual adult membership. Is it cheaper to switch us \
               all to the family membership, and if so how do I do that without paying twice this month?",
        reply: "Lovely to hear they enjoyed the taster sessions. Family membership covers two adults and up to \
                three juniors for £95 a month, compared with £58 for you plus £32 for each junior, so it would \
                save you £27 a month. I can switch you over from the first of next month. Could you send me \
                the children's full names and dates of birth, and confirm that the junior consent forms have \
                been completed?",
        follow_up: "Thank you! They are Lucas Marquez (13) and Elena Marquez (15); I'll send their dates of \
                    birth through the portal form. I filled in both consent forms at the boathouse last \
                    Saturday.",
        resolution: "All done: your membership switches to family from the first of next month and your direct \
                     debit will adjust automatically. Lucas and Elena now appear in the junior squad register, \
                     and their coach will be in touch about the Saturday session times.",
        note: "Consent forms found in the junior folder at the boathouse and scanned. Direct debit set to £95 \
               from the next cycle.",
        ..BLANK
    },
    // 4
    Topic {
        category: LMS,
        member: 3,
        agent: TOM,
        flow: Flow::ClosedAfterThanks,
        subject: "Learn to Row module 3 video won't play",
        body: "I'm working through the Learn to Row course on the LMS and the video in module 3 (the sculling \
               stroke sequence) just shows a spinning wheel. Modules 1 and 2 played fine. I've tried Chrome \
               and Safari on my laptop. I'd like to finish it before my first water session next week.",
        reply: "Thanks for letting us know, and well done getting through the first two modules. We re-uploaded \
                the module 3 videos last week and it looks like one of them lost its streaming settings. Could \
                you tell me whether the other videos in module 3 play, or is it only the stroke sequence one?",
        follow_up: "It's only the stroke sequence video. The other two in module 3 play normally.",
        resolution: "I've re-published the stroke sequence video and it now plays in both Chrome and Safari on \
                     my side. If you refresh the course page it should work for you too. Your progress is \
                     saved, so you can pick up exactly where you left off.",
        note: "The video had been uploaded as private in the LMS media library; changed it to course-visible. \
               Checked the other Learn to Row modules and they are fine.",
        ..BLANK
    },
    // 5
    Topic {
        category: BILLING,
        member: 10,
        agent: HELEN,
        priority: Low,
        flow: Flow::ClosedDirect,
        subject: "Copy of invoice for last year's subscription",
        body: "Could I please have a copy of the invoice for my social membership for last year? My employer \
               reimburses club memberships but needs an invoice with the club's address on it. I can't see \
               old invoices in the member portal.",
        reply: "Of course. Old invoices only stay in the portal for twelve months, which is why you can't see \
                it. I've emailed you a PDF copy of the invoice. Could you check that the name on it is the one \
                your employer needs?",
        follow_up: "Yes, that's the right name. Could the invoice also show the club's charity number? My \
                    employer asked for it.",
        resolution: "I've reissued the invoice with our registered charity number and address in the footer, \
                     and it's now in the Documents section of your portal. I've also asked our web team to \
                     keep invoices visible for longer.",
        note: "Charity number missing from the invoice template. Raised with the portal supplier.",
        ..BLANK
    },
    // 6
    Topic {
        category: BOATS,
        member: 4,
        agent: TOM,
        priority: High,
        flow: Flow::ClosedQuick,
        subject: "Coxing certificate needs renewing before the head race",
        body: "My coxing safety certificate expires at the end of the month and I'm down to cox the men's eight \
               at the Head of the Harbour. Is there a refresher session coming up? I can't find one in the \
               booking app.",
        reply: "Thanks for flagging this early. The next cox refresher is on Sunday at 9:00 at the boathouse: a \
                classroom session followed by a short on-water assessment. I've pencilled you in. Could you \
                confirm you can make it?",
        follow_up: "Yes, Sunday at 9 works. Thank you!",
        resolution: "Great news: you passed the refresher on Sunday and your coxing certificate is now valid for \
                     another two years. It shows on your member profile, so the regatta entries secretary can \
                     see it.",
        note: "Added Grace to the Sunday refresher. Certificate updated in the safety register after the safety \
               officer's assessment.",
        ..BLANK
    },
    // 7
    Topic {
        category: DIRECTORY,
        member: 0,
        agent: PRIYA,
        flow: Flow::ClosedByMember,
        subject: "Please hide my phone number in the member directory",
        body: "I've noticed that my mobile number is visible to every member in the online directory. I never \
               agreed to that, and I've started getting messages from people selling raffle tickets. Please \
               remove it straight away and tell me how it ended up there.",
        reply: "I'm sorry about that; you're right that it should not have been visible without your consent. \
                I've hidden your phone number from the directory with immediate effect. It looks like your \
                privacy settings were reset when the directory moved to the new portal. Could you check your \
                profile and let me know whether your email address should be hidden too?",
        follow_up: "Thanks. Yes, please hide the email as well. I'd rather crew members contacted me through \
                    the club.",
        resolution: "Done: both your phone number and your email address are now hidden, and only your name \
                     and squad are shown. I've also reported the reset to our data protection lead so we can \
                     check whether other members were affected.",
        note: "Privacy settings were lost for members migrated before the portal upgrade. Flagged to Helen as a \
               possible data protection issue.",
        ..BLANK
    },
    // 8
    Topic {
        category: EVENTS,
        member: 6,
        agent: TOM,
        flow: Flow::ClosedAfterThanks,
        subject: "Regatta entry: crew change for the women's quad",
        body: "One of our women's quad has broken her wrist, so we need to swap her for Eilidh MacLeod in the \
               entry for the Harbour Regatta. Entries closed yesterday. Is it still possible to substitute a \
               rower, and is there a fee?",
        reply: "Sorry to hear about your crewmate; please pass on our best wishes. Substitutions are allowed up \
                to 48 hours before racing at no charge, but the substitute needs a valid racing licence. Could \
                you confirm Eilidh's licence number?",
        follow_up: "Eilidh's licence number is BR-447192. Thanks so much for sorting this.",
        resolution: "The organisers have accepted the substitution and Eilidh now shows in the crew list for \
                     the women's quad. Good luck on the day!",
        note: "Substitution submitted through the regatta entry system; confirmation forwarded to Hannah.",
        ..BLANK
    },
    // 9
    Topic {
        category: MEMBERSHIP,
        member: 2,
        agent: PRIYA,
        priority: Low,
        flow: Flow::ClosedQuick,
        subject: "Student discount on membership",
        body: "I've just started a master's degree at the university. Am I eligible for the student membership \
               rate, and what proof do you need?",
        reply: "Congratulations on starting your master's! Yes, full-time students pay the student rate of £29 \
                a month. We just need a photo or scan of your current student card, or a letter from the \
                university showing your course dates. Could you send one of those?",
        follow_up: "Here you go: I've emailed a scan of my student card to the membership address.",
        resolution: "Thanks, that's all in order. Your membership switches to the student rate from your next \
                     payment and runs until your course end date. We'll remind you a month before it expires.",
        note: "Student card checked, valid until the end of the academic year. Rate expiry set in the portal.",
        ..BLANK
    },
    // 10
    Topic {
        category: BOATS,
        member: 7,
        agent: TOM,
        flow: Flow::ClosedAfterThanks,
        subject: "Booking app shows a boat under repair as available",
        body: "I booked the red double (Jenny Lind) in the booking app for Saturday at 7am, but when we got to \
               the boathouse it had a 'do not use - under repair' sign on it. The app still shows it as \
               available for next week. We lost our session. Can the app be updated when boats are out of \
               action?",
        reply: "I'm really sorry you lost your session. The Jenny Lind has a cracked rigger and is with the \
                repairer. I've now marked her as out of service in the app, so nobody else can book her. Could \
                you tell me which date you'd like to rebook, and I'll reserve the blue double for you?",
        follow_up: "Next Saturday at 7am would be great, thank you.",
        resolution: "You're booked into the blue double (Sir Walter) next Saturday at 7:00. The Jenny Lind \
                     should be back in about two weeks, and the app will show her again once she has passed \
                     her safety check.",
        note: "The damage report was filed on paper and never entered in the app. Reminded the captains to use \
               the app's 'report damage' button, which blocks bookings automatically.",
        ..BLANK
    },
    // 11
    Topic {
        category: BILLING,
        member: 9,
        agent: PRIYA,
        priority: High,
        flow: Flow::ClosedQuick,
        subject: "Charged twice for my annual subscription",
        body: "I've been charged twice for my annual subscription: two payments of £620 on the same day. This \
               is the second billing problem I've had this year and frankly it's not good enough. I want the \
               duplicate refunded immediately.",
        reply: "I completely understand your frustration, and I'm sorry this has happened again. I can see both \
                payments: the second was taken when the payment page was resubmitted after a timeout. I've \
                asked our payment provider to refund the duplicate £620 today. Could you confirm the last four \
                digits of the card, so I can check the refund goes to the right place?",
        follow_up: "It's the card ending 4417. Please make sure it actually comes back this time.",
        resolution: "The refund of £620 to the card ending 4417 has been processed and should reach your \
                     account within 3 to 5 working days. I've also added a note to your account so that you're \
                     contacted personally if anything goes wrong with a payment again.",
        note: "Duplicate payment caused by a double submit on the old payment page; refund ref RF-20931. Daniel \
               is understandably annoyed (second billing issue this year), so please handle with care.",
        ..BLANK
    },
    // 12
    Topic {
        category: LMS,
        member: 8,
        agent: TOM,
        flow: Flow::ClosedByMember,
        subject: "Level 2 coaching course certificate not issued",
        body: "I completed all the modules of the Level 2 Coaching course on the LMS three weeks ago, including \
               the final assessment, but I still haven't received my certificate. The course status says \
               'complete'. Is something stuck?",
        reply: "Well done on completing the course! The certificate is only issued once your mentor coach signs \
                off your practical log. I can see your log was submitted but not yet signed. Could you tell me \
                who your mentor coach was, so I can chase them?",
        follow_up: "My mentor was Tom Okafor. Wait, that's you! I think you assessed my session in the spring.",
        resolution: "Guilty as charged! I've signed off your practical log and the certificate has now been \
                     issued; you can download it from the Certificates tab in the LMS. Congratulations, Coach!",
        note: "My own backlog of practical logs. Signed off four more while I was there.",
        ..BLANK
    },
    // 13
    Topic {
        category: EVENTS,
        member: 10,
        agent: HELEN,
        priority: Low,
        flow: Flow::ClosedStale,
        subject: "Annual dinner: dietary requirements and table booking",
        body: "I've bought two tickets for the annual dinner and awards night. My partner is coeliac, so we need \
               a gluten-free meal. Could we also sit with the masters squad? I couldn't see where to add this \
               when I paid.",
        reply: "Thank you for booking! I've noted a gluten-free meal for your partner and asked the caterers to \
                confirm they can prepare it separately. Could you give me your partner's name for the seating \
                plan?",
        follow_up: "His name is Antoine Dubois. Thank you!",
        resolution: "The caterers have confirmed a separately prepared gluten-free menu for Antoine, and you're \
                     both on the masters table (table 4). See you on the night!",
        note: "Added to the dietary list sent to the caterers.",
        ..BLANK
    },
    // 14
    Topic {
        category: MEMBERSHIP,
        member: 11,
        agent: PRIYA,
        by_staff: true,
        flow: Flow::ClosedQuick,
        subject: "Junior membership for Ethan Reid: paper form received",
        body: "Marcus Reid dropped a paper application form at the boathouse for his son Ethan (14) to join the \
               junior squad. The form is complete except for the medical declaration, which is unsigned. \
               Raising this ticket so that Marcus can follow up by email.",
        reply: "Thank you for Ethan's application; we're delighted he wants to join the junior squad. The form \
                is almost complete, but the medical declaration on page 3 hasn't been signed. Could you sign \
                it and drop it back at the boathouse, or reply here confirming that Ethan has no medical \
                conditions we should know about?",
        follow_up: "Sorry, I missed that page. I confirm Ethan has no medical conditions, and I'll sign the form \
                    on Saturday when I drop him off.",
        resolution: "Thanks, Marcus. Ethan is now registered as a junior member and can start with the Saturday \
                     squad straight away. The signed form is attached to his record.",
        note: "Signed form received on Saturday and scanned.",
        ..BLANK
    },
    // 15
    Topic {
        category: BOATS,
        member: 0,
        agent: TOM,
        flow: Flow::ClosedByMember,
        subject: "Lost locker key",
        body: "I've lost the key to locker 23 in the men's changing room. I think it fell out of my kit bag on \
               the towpath. Is there a spare, and what does a replacement cost?",
        reply: "No problem, it happens more often than you'd think! We keep a spare for every locker, and a \
                replacement key costs £10 to cover the cut. Could you let me know when you're next at the \
                boathouse, so I can leave the spare in the key safe for you?",
        follow_up: "I'll be down on Thursday evening for the masters session.",
        resolution: "The spare for locker 23 is in the key safe in an envelope with your name on it; the code is \
                     the usual club code. The £10 will be added to your next invoice. If your original turns \
                     up, hand it in and we'll cancel the charge.",
        note: "Ordered a new cut from the locksmith so we have a spare again.",
        ..BLANK
    },
    // 16
    Topic {
        category: EVENTS,
        member: 6,
        agent: TOM,
        priority: High,
        flow: Flow::ClosedAfterThanks,
        subject: "Regatta entry fee taken but our crew is not on the draw",
        body: "Our women's double was entered and the £46 fee was taken from my card, but we're not on the \
               published draw for Saturday's Harbour Sprints. We've trained for this for two months. Please \
               can someone sort this out urgently? Racing is in three days.",
        reply: "I'm so sorry. I can see the payment and the entry on our side, so it looks like the entry wasn't \
                passed on to the organisers. I emailed the regatta secretary this morning. Could you confirm \
                the crew names and the event (women's masters C double?) so I can send them the exact details?",
        follow_up: "Yes, WMasC 2x: Hannah Kowalski and Grace Adeyemi. Please keep me posted.",
        resolution: "Good news: the organisers have added you to the draw in heat 3, racing at 11:40 on \
                     Saturday. They've apologised for the error, and the fee you paid covers it. Best of luck!",
        note: "Our entry export missed crews added after Wednesday. Reported to the web team and re-sent the \
               batch by hand.",
        ..BLANK
    },
    // 17
    Topic {
        category: BILLING,
        member: 1,
        agent: HELEN,
        flow: Flow::ClosedDirect,
        subject: "Family membership invoice shows the wrong name",
        body: "The latest invoice for our family membership is addressed to my daughter Elena instead of me. I \
               pay it, so I need it in my name for my records. Could you correct it?",
        reply: "Thanks for spotting that. When Elena's junior record was added, the system made her the lead \
                member of the family group by mistake. I can switch the lead member back to you. Could you \
                confirm that you'd like all future invoices and renewal reminders to come to you?",
        follow_up: "Yes please, everything to me.",
        resolution: "You're the lead member of the family group again, and I've reissued the latest invoice in \
                     your name; it's in the Documents section of the portal. Future invoices and reminders will \
                     come to you.",
        note: "The portal made the most recently added member the lead of the family group. Reported to the \
               supplier.",
        ..BLANK
    },
    // 18
    Topic {
        category: LMS,
        member: 3,
        agent: TOM,
        priority: Low,
        flow: Flow::ClosedStale,
        subject: "Can't find the quiz at the end of Learn to Row",
        body: "I've finished all the Learn to Row videos but I can't find the end-of-course quiz the coach \
               mentioned. The course page says 100% complete. Do I still need to take it before I can book \
               club boats?",
        reply: "Good question! The quiz is a separate item called 'Safety Check' at the bottom of the course \
                page, under the last module. You need to pass it before the booking app lets you book club \
                boats. Could you check whether you can see it there?",
        follow_up: "Found it! I passed with 9 out of 10. Does the booking app update automatically?",
        resolution: "Yes: your booking permission updates overnight after you pass the quiz, so you can book the \
                     novice singles and doubles from tomorrow. Enjoy your first independent outings!",
        note: "Several Learn to Row graduates have missed the Safety Check. Suggest renaming it 'Final quiz' in \
               the LMS.",
        ..BLANK
    },
    // 19
    Topic {
        category: BOATS,
        member: 5,
        agent: TOM,
        priority: High,
        flow: Flow::Resolved,
        subject: "Safety launch engine won't start",
        body: "I'm a launch driver for the Sunday coaching sessions. This morning the engine on the safety \
               launch (Harbour 2) wouldn't start: the starter turns over but it doesn't fire. We had to cancel \
               the junior session. Is someone able to look at it before next weekend?",
        reply: "Thanks for reporting this, and for making the safe call to cancel. I've booked the marine \
                engineer for Thursday. Could you tell me whether the fuel tank was full and whether the kill \
                cord was attached when you tried?",
        follow_up: "The tank was about half full and the kill cord was definitely attached. It sounded like it \
                    wasn't getting fuel.",
        resolution: "The engineer found a blocked fuel filter and replaced it. Harbour 2 has been test-run and \
                     is back in service for Sunday. Thanks again for the clear report.",
        note: "Engineer's invoice £140, approved. Added a fuel filter check to the monthly launch checklist.",
        ..BLANK
    },
    // 20
    Topic {
        category: MEMBERSHIP,
        member: 7,
        agent: PRIYA,
        flow: Flow::ClosedQuick,
        subject: "Password reset email never arrives (member portal)",
        body: "I'm trying to reset my password on the member portal but the reset email never arrives. I've \
               checked spam, waited over an hour and tried three times. My email is rahul.mehta@example.com.",
        reply: "Sorry about that. I can see three reset emails were sent to rahul.mehta@example.net: there's a \
                typo in the address on your record (.net instead of .com). Could you confirm which address is \
                correct?",
        follow_up: "It's .com. I must have mistyped it when I joined. Thanks!",
        resolution: "I've corrected your email address to rahul.mehta@example.com and sent a fresh reset link, \
                     which should arrive within a minute or two. The link is valid for one hour.",
        note: "Typo on the joining form. Suggest the portal asks new members to confirm their email address.",
        ..BLANK
    },
    // 21
    Topic {
        category: DIRECTORY,
        member: 4,
        agent: PRIYA,
        priority: Low,
        flow: Flow::ClosedByMember,
        subject: "Old photo in the member directory",
        body: "The photo next to my name in the member directory is about ten years old (and not a flattering \
               one). I can't find a way to change it in my profile. Could you remove it or tell me how to \
               upload a new one?",
        reply: "I'm sure it's not that bad! Photos are changed under Profile, Edit, Picture, but the button only \
                appears on the desktop site, not in the mobile view. Could you try that and let me know if it \
                works?",
        follow_up: "Found it on my laptop, but it says the file is too large (it's a 6 MB photo from my phone).",
        resolution: "The limit is 2 MB, which is too small for modern phones; sorry. I've removed the old \
                     picture for now, and if you email me the new photo I'll upload it for you. We've asked \
                     the portal supplier to raise the limit.",
        note: "Uploaded Grace's new photo by hand. Photo size limit raised with the portal supplier as a feature \
               request.",
        ..BLANK
    },
    // 22
    Topic {
        category: EVENTS,
        member: 2,
        agent: HELEN,
        priority: Low,
        flow: Flow::ClosedDirect,
        subject: "Volunteering as a marshal at the Head of the Harbour",
        body: "I'd like to volunteer as a marshal at the Head of the Harbour this year. I haven't done it \
               before. What's involved, and do I need any training?",
        reply: "Thank you for offering; we always need marshals! Marshals are posted along the course with a \
                radio and a whistle. It's a three-hour shift, with a 20-minute briefing in the morning, and no \
                other training is needed. Would you prefer the morning or the afternoon division?",
        follow_up: "Morning please, I'm rowing in the afternoon.",
        resolution: "You're on the marshal rota for the morning division at the Mile Post station. The briefing \
                     is at 7:30 in the boathouse. Thanks again for helping out.",
        note: "Added Aidan to the marshal rota.",
        ..BLANK
    },
    // 23
    Topic {
        category: BILLING,
        member: 9,
        agent: PRIYA,
        flow: Flow::ClosedStale,
        subject: "Refund for the cancelled winter training camp",
        body: "The winter training camp was cancelled last week because of the flooding. I paid the £240 camp \
               fee in full. How and when will I get a refund? I'd rather have it back on my card than as \
               credit.",
        reply: "Yes, everyone who paid for the camp will receive a full refund, and we're processing them in \
                batches this week. Could you confirm that you paid by card through the events page rather than \
                by bank transfer?",
        follow_up: "I paid by card through the events page.",
        resolution: "Your refund of £240 has been issued to the card you paid with and should arrive within \
                     five working days. Sorry again that the camp couldn't go ahead.",
        note: "Camp refunds done in the payments dashboard. Daniel asked for a card refund, not credit.",
        ..BLANK
    },
    // 24
    Topic {
        category: LMS,
        member: 8,
        agent: TOM,
        flow: Flow::ClosedAfterThanks,
        subject: "LMS says my safeguarding module has expired",
        body: "The LMS says my safeguarding module expired last month, so I've been taken off the junior \
               coaching rota. I did the course three years ago and thought it lasted five years. Is that \
               right?",
        reply: "The national governing body changed the renewal period from five years to three, so the LMS \
                has flagged it as expired. The refresher is about 45 minutes online and I've enrolled you. Can \
                you let me know once you've completed it, so I can put you back on the rota?",
        follow_up: "Done, I completed it last night. The certificate says it's valid for three years.",
        resolution: "Perfect, I can see the completion. You're back on the junior coaching rota from this \
                     Saturday. Thanks for turning it around so quickly.",
        note: "Six other coaches are due in the next two months; sending them a reminder.",
        ..BLANK
    },
    // 25
    Topic {
        category: BOATS,
        member: 11,
        agent: TOM,
        flow: Flow::ClosedByMember,
        subject: "Can parents use the rowing machines during junior sessions?",
        body: "While my son is at his junior session on Saturday mornings, I'd like to use the rowing machines \
               in the gym. Is that allowed with my social membership, or do I need to upgrade?",
        reply: "Good question. The gym and the ergs are included with full rowing membership only, but social \
                members can use them with a £5 day pass bought in the booking app. Would you like me to send \
                you the details of upgrading instead?",
        follow_up: "The day pass sounds fine for now. Where in the app do I find it?",
        resolution: "In the booking app, go to Facilities, then Gym, then Day pass. It's valid for the whole \
                     day, and you just show the confirmation on your phone if asked. Enjoy!",
        note: "Social members don't see the gym tile until their profile is refreshed. Refreshed Marcus's.",
        ..BLANK
    },
    // 26
    Topic {
        category: MEMBERSHIP,
        member: 10,
        agent: HELEN,
        by_staff: true,
        priority: Low,
        flow: Flow::ClosedDirect,
        subject: "Change of address for Chloe Dubois",
        body: "Chloe phoned the office to say she has moved house and would like her postal address updated for \
               the club magazine. The new address was given over the phone. Please confirm it by email before \
               we change the record.",
        reply: "Thanks for calling the office earlier. To confirm the change, could you reply with your new \
                postal address in full? We don't update addresses from a phone call alone, to protect your \
                account.",
        follow_up: "Of course: 14 Quayside Mews, Harbour City, HC4 7RT.",
        resolution: "Thanks, your address has been updated and the next issue of the club magazine will go to \
                     Quayside Mews.",
        note: "Address confirmed in writing as our data protection policy requires; record updated.",
    },
    // 27
    Topic {
        category: BOATS,
        member: 7,
        agent: TOM,
        flow: Flow::Chased,
        subject: "Booking app logs me out every time I open it",
        body: "Since the last app update, the booking app logs me out every time I open it and I have to type \
               my password again. It's very annoying when I'm trying to book a boat from the car park before an \
               outing. I'm on an Android phone (Pixel 7).",
        ..BLANK
    },
    // 28
    Topic {
        category: EVENTS,
        member: 0,
        agent: TOM,
        flow: Flow::ClosedStale,
        subject: "Masters head race: trailer space for the eight",
        body: "The masters eight is racing at the Riverside Head. Is there space on the club trailer for our \
               boat, and what is the cost per seat for the trailer run? We'll need it to leave on Friday \
               afternoon.",
        reply: "The trailer leaves for Riverside on Friday at 16:00 and there is space for your eight. The \
                trailer contribution is £12 per seat, collected with the entry fee. Could you confirm who will \
                help to derig and load on Friday?",
        follow_up: "Oliver and I can both help load at 3:30.",
        resolution: "Perfect: you're on the trailer list and £12 per seat has been added to the crew's entry \
                     invoice. Please make sure the riggers are bagged and labelled.",
        note: "Helen is towing. Loading list updated.",
        ..BLANK
    },
    // 29
    Topic {
        category: BILLING,
        member: 5,
        agent: PRIYA,
        priority: Low,
        flow: Flow::ClosedAfterThanks,
        subject: "Club kit order: wrong size delivered",
        body: "I ordered a club all-in-one in size M from the kit shop, but a size S arrived. Can I swap it? \
               It's unworn and still in the bag.",
        reply: "Sorry about the mix-up. Yes, you can swap it: drop the S back at the boathouse office in its bag \
                and we'll order an M from the supplier. Can you confirm you'd still like the same colour (navy \
                with the harbour stripe)?",
        follow_up: "Yes, same colour please. I'll drop it in on Saturday.",
        resolution: "We've received the S and the supplier has dispatched an M, which should be at the office \
                     within ten days. We'll email you when it arrives.",
        note: "Picking error at the supplier; they cover the return postage.",
        ..BLANK
    },
    // 30
    Topic {
        category: MEMBERSHIP,
        member: 2,
        agent: PRIYA,
        flow: Flow::Resolved,
        subject: "Pausing my membership while I'm on placement abroad",
        body: "I'm going on a four-month university placement abroad from next month. Can I pause my membership \
               while I'm away, instead of cancelling and re-joining?",
        reply: "Yes: we offer a membership pause of up to six months at £5 a month, which keeps your membership \
                number and your place on the squad list. Could you confirm the exact dates you'll be away?",
        follow_up: "I leave on the 2nd of next month and I'm back four months later, at the end of the month.",
        resolution: "Your membership is paused from the 2nd of next month for four months at £5 a month, and it \
                     restarts automatically when you're back. Have a great placement!",
        note: "Pause set in the portal with automatic restart.",
        ..BLANK
    },
    // 31
    Topic {
        category: DIRECTORY,
        member: 1,
        agent: PRIYA,
        priority: High,
        flow: Flow::WaitingNudged,
        subject: "My children appear in the member directory",
        body: "I've just seen that both my children appear in the member directory with their full names and \
               squad. They're under 16 and I'm not comfortable with that. Can junior members be hidden from \
               the directory?",
        reply: "Thank you for raising this; you're absolutely right to ask. Junior members should only be \
                visible to coaches and welfare officers, and I've hidden Lucas and Elena from the directory \
                while we check our settings. Before I change the default for all juniors, could you let me \
                know whether you're happy for their names to appear on the squad lists the coaches use?",
        note: "Juniors visible in the directory is a safeguarding concern. Escalated to the welfare officer and \
               hid all under-18s until a decision is made.",
        ..BLANK
    },
    // 32
    Topic {
        category: LMS,
        member: 3,
        agent: TOM,
        by_staff: true,
        flow: Flow::ClosedByMember,
        subject: "Improvers course booking for Mei Lin Chen",
        body: "Mei Lin asked at the boathouse whether she can join the Improvers course next month, now that she \
               has finished Learn to Row. Raising a ticket so we can confirm her place and the course fee in \
               writing.",
        reply: "It was good to see you at the boathouse! There are places left on the Improvers course starting \
                next month: six Tuesday evenings at 18:30. The fee is £90 and includes boat use. Shall I book \
                you a place?",
        follow_up: "Yes please, book me in!",
        resolution: "You're booked on the Improvers course, and its pages on the LMS are now open to you. The \
                     fee will appear on your next invoice. See you on the water!",
        note: "Enrolled in the LMS and added to the coaching rota.",
        ..BLANK
    },
    // 33
    Topic {
        category: BOATS,
        member: 6,
        agent: TOM,
        flow: Flow::Resolved,
        subject: "Seats sticking in the women's four",
        body: "Two of the seats in the women's coxless four (Harbour Belle) keep sticking on the slides, seats \
               2 and 3. It's fine at low rate, but at race pace the seats jam. Could someone take a look \
               before the regatta?",
        reply: "Thanks for the detail, that's really useful. I'll look at the seat wheels on Thursday. Could you \
                let me know whether it happens in both directions on the slide, or only on the recovery?",
        follow_up: "Mostly on the recovery, about halfway up the slide.",
        resolution: "The wheels on seats 2 and 3 were worn and had grit in the bearings. I've replaced both sets \
                     and cleaned the slides, and the seats run smoothly now. Let me know if it comes back.",
        note: "Used the last two spare wheel sets; ordered more.",
        ..BLANK
    },
    // 34
    Topic {
        category: EVENTS,
        member: 4,
        agent: HELEN,
        priority: Low,
        flow: Flow::ClosedQuick,
        subject: "Erg challenge result missing from the leaderboard",
        body: "I did the club's 2k erg challenge last week and entered my time (7:58.4) on the form, but I'm not \
               on the leaderboard. Could you check it was received?",
        reply: "Great time! I found your entry: it was submitted under the men's category by mistake, which is \
                why you didn't appear. Could you confirm you're in the women's lightweight category?",
        follow_up: "Yes, women's lightweight. Thanks for finding it!",
        resolution: "Fixed: you're now on the women's lightweight leaderboard, in third place. Well rowed!",
        note: "The form defaulted to the men's category. Asked for the default to be removed.",
        ..BLANK
    },
    // 35
    Topic {
        category: BILLING,
        member: 0,
        agent: PRIYA,
        priority: High,
        flow: Flow::ClosedAfterThanks,
        subject: "Late payment fee applied by mistake",
        body: "I've been charged a £15 late payment fee, but I paid my quarterly subscription on time and I have \
               the bank confirmation. This is annoying. Please remove the fee.",
        reply: "I'm sorry about this. Your payment reached us on the due date but was matched to your account \
                the next working day, which triggered the fee automatically. Could you send the bank \
                confirmation reference, so I can attach it to the correction?",
        follow_up: "The reference is HCRA-JW-0342.",
        resolution: "I've removed the £15 fee and credited your account. I've also asked our treasurer to allow \
                     a three-day matching window, so this doesn't happen to anyone else.",
        note: "The late fee automation doesn't allow for bank transfer settlement delays. Raised with the \
               treasurer.",
        ..BLANK
    },
    // 36
    Topic {
        category: BOATS,
        member: 8,
        agent: TOM,
        flow: Flow::Resolved,
        subject: "Cox box not charging",
        body: "The cox box labelled CB-4 doesn't charge any more: the light on the charger stays red all night \
               and the box dies ten minutes into an outing. Our cox had to shout the whole session on Tuesday!",
        reply: "Thanks for the report, and sympathies to your cox's voice! Before I order a replacement battery, \
                could you check whether the charging lead you used was the one labelled CB-4, or one of the \
                spare leads from the drawer?",
        follow_up: "It was one of the spare leads. The CB-4 lead seems to be missing.",
        resolution: "Found it: a spare lead with a faulty plug was the culprit. I've thrown it away, found the \
                     original CB-4 lead in the launch box, and the cox box charges fine again. All the leads \
                     are now labelled to match their boxes.",
        note: "Ordered two new chargers as spares.",
        ..BLANK
    },
    // 37
    Topic {
        category: BILLING,
        member: 11,
        agent: PRIYA,
        priority: Low,
        flow: Flow::ClosedQuick,
        subject: "Receipt for junior squad fees",
        body: "Can I use the government's tax-free childcare scheme to pay Ethan's junior squad fees? If not, \
               could you send me a receipt for last term's fees for my records?",
        reply: "Unfortunately we're not registered as a childcare provider, so tax-free childcare can't be used \
                for squad fees. I'm happy to send you a receipt for last term, though. Would you like it for \
                the whole term (£150) or itemised by month?",
        follow_up: "The whole term is fine, thank you.",
        resolution: "I've emailed you a receipt for £150 covering last term's junior squad fees, and a copy is \
                     in the Documents section of the portal.",
        note: "The childcare question comes up often; adding it to the FAQ.",
        ..BLANK
    },
    // 38
    Topic {
        category: EVENTS,
        member: 5,
        agent: TOM,
        flow: Flow::Waiting,
        subject: "Entering my own single in the Autumn Head",
        body: "I'd like to enter the masters single sculls at the Autumn Head in my own boat. Does the club \
               enter private boats, or do I need to do that myself? And do I need to race in club colours?",
        reply: "The club enters all members, including those in private boats, so we'll do the entry for you. \
                And yes, you'll need club colours on the blades and a club top. To enter you, I need your \
                masters category and your racing licence number. Could you send both?",
        note: "Entries close a week on Friday.",
        ..BLANK
    },
    // 39
    Topic {
        category: MEMBERSHIP,
        member: 6,
        agent: PRIYA,
        flow: Flow::Resolved,
        subject: "Membership card no longer opens the boathouse door",
        body: "My membership card stopped opening the boathouse door this week. I renewed my membership at the \
               start of the month, so I wonder whether the card wasn't updated. I was locked out at 6am on \
               Tuesday!",
        reply: "Sorry about the early-morning lockout. Your renewal went through, but door access is updated by \
                a nightly sync, which failed on the day you renewed. I've re-run it. Could you try your card \
                again next time you're down and let me know if it works?",
        follow_up: "I tried it this morning and it still beeps red.",
        resolution: "Thanks for testing. Your card had two records in the door system and the old one was \
                     overriding the new one. I've deleted the old record and tested your card on the office \
                     reader: it's green now.",
        note: "Duplicate card record in the access control system. Found and fixed two more like it.",
        ..BLANK
    },
    // 40
    Topic {
        category: DIRECTORY,
        member: 9,
        agent: PRIYA,
        priority: Low,
        flow: Flow::ClosedByMember,
        subject: "Remove me from the member directory",
        body: "I'd like to be removed from the member directory completely. I don't want my name listed for \
               everyone to see. Can this be done without affecting my membership?",
        reply: "Yes, of course: being listed is optional and has no effect on your membership. Just to make \
                sure we do what you want, would you like to be hidden from other members but still visible to \
                coaches and committee members for crew selection?",
        follow_up: "Yes, that's fine: coaches and committee only.",
        resolution: "Done. You're hidden from the member directory, and only coaches and committee members can \
                     see your name and contact details.",
        note: "Directory visibility set to 'committee and coaches only'.",
        ..BLANK
    },
    // 41
    Topic {
        category: LMS,
        member: 7,
        agent: TOM,
        flow: Flow::Working,
        subject: "LMS progress lost after switching to the app",
        body: "I was halfway through the Club Safety and Capsize Drill course on the website, then switched to \
               the mobile app, and now it shows 0% complete. I don't want to redo the first four modules. Can \
               my progress be restored?",
        reply: "Sorry about that. The app and the website should share progress, so this looks like a sync \
                problem, and I've asked the LMS supplier to check your account. In the meantime, could you let \
                me know how you signed in to the app: with your email address or with the single sign-on \
                button?",
        follow_up: "I used my email address. On the website I always click the single sign-on button.",
        note: "Looks like two LMS accounts (single sign-on and email). Supplier ticket LMS-8841 asks them to \
               merge the two. Chase if there is no answer by Friday.",
        ..BLANK
    },
    // 42
    Topic {
        category: BILLING,
        member: 10,
        agent: PRIYA,
        flow: Flow::Waiting,
        subject: "Direct debit amount changed without notice",
        body: "My direct debit this month was £58 instead of the £35 I usually pay for social membership. I \
               didn't receive any notice of a price change. Can you explain why?",
        reply: "Thanks for getting in touch. Your record shows your membership was changed from Social to Full \
                Rowing at the start of the month, which is why the amount went up. Did you ask for that change, \
                perhaps when you booked a course? If not, please let me know and I'll reverse it and refund the \
                difference.",
        note: "The membership type changed when Chloe booked a Learn to Row taster: the booking form upgrades \
               membership automatically. Waiting for her to confirm.",
        ..BLANK
    },
    // 43
    Topic {
        category: BOATS,
        member: 4,
        agent: TOM,
        priority: High,
        flow: Flow::Triaged,
        subject: "Cracked fin on the coxed four",
        body: "During today's outing we noticed that the fin on the coxed four (Dorothy) has a crack at the base \
               and wobbles. We paddled back gently. I've put a 'do not use' sign on the boat, but it's still \
               bookable in the app.",
        note: "Blocked the boat in the app. The fin has to come from the manufacturer; check whether the \
               warranty covers it.",
        ..BLANK
    },
    // 44
    Topic {
        category: EVENTS,
        member: 11,
        agent: HELEN,
        flow: Flow::Resolved,
        subject: "Junior regatta: parent helpers and travel",
        body: "Ethan's squad is racing at the junior regatta in three weeks. Is the club organising transport, or \
               should parents drive? I'm happy to help with driving if needed.",
        reply: "Thanks so much for offering! We're taking the minibus for the juniors, which seats 12, and need \
                two parent drivers for the rest of the squad. Do you have room for three juniors plus kit, and \
                are you happy to complete the short driver declaration form?",
        follow_up: "Yes, I have a seven-seater, so three juniors is fine. I'll fill in the form tonight.",
        resolution: "Thanks, Marcus: your driver declaration is in and you're on the transport list, leaving the \
                     boathouse at 7:00. The junior coach will send the passenger list the week before.",
        note: "Still need a second parent driver.",
        ..BLANK
    },
    // 45
    Topic {
        category: MEMBERSHIP,
        member: 2,
        agent: PRIYA,
        flow: Flow::Working,
        subject: "Back from placement early: please restart my membership",
        body: "My placement ended early, so I'm back in Harbour City. Can I restart my membership now rather \
               than on the planned date? I'd like to get back on the water this week.",
        reply: "Welcome back! Yes, we can end the pause early. I'll restart your student membership from today \
                and the payment will be prorated for the rest of the month. Could you confirm you're still a \
                full-time student, so that we keep the student rate?",
        follow_up: "Yes, still full-time until next summer. Thanks!",
        note: "Door access and booking app permissions need re-enabling after the restart.",
        ..BLANK
    },
    // 46
    Topic {
        category: LMS,
        member: 0,
        agent: TOM,
        by_staff: true,
        priority: Low,
        flow: Flow::Waiting,
        subject: "Video analysis module for masters rowers",
        body: "James asked at the Thursday masters session how to get onto the new video analysis module \
               mentioned in the newsletter. He can't find it in his course list. Raising a ticket so we can \
               send him the steps.",
        reply: "The video analysis module is open to all members; it's in the course catalogue under 'Masters \
                Technique'. You need to enrol yourself first, and then it appears in your course list. Could \
                you let me know whether you see the Enrol button on that page? Some members on older browsers \
                don't.",
        ..BLANK
    },
    // 47
    Topic {
        category: EVENTS,
        member: 3,
        flow: Flow::New,
        subject: "Can novices enter the club's fun regatta?",
        body: "I finished Learn to Row a few months ago and have been out in the novice doubles a few times. Can \
               novices enter the club's fun regatta next month, or is it only for experienced crews? I'd love \
               to have a go but don't want to get in anyone's way!",
        ..BLANK
    },
    // 48
    Topic {
        category: BILLING,
        member: 9,
        agent: PRIYA,
        priority: High,
        flow: Flow::Picked,
        subject: "Charged for a boat rack I don't have",
        body: "My invoice this month includes an annual rack fee of £180. I don't own a boat and have never had \
               a rack. After the double charge earlier this year, I'm honestly losing patience. Please fix this \
               and explain how it happened.",
        note: "The rack fee for E-7 (Oliver Brandt) was applied to Daniel's account: adjacent rows in the \
               billing export. Credit Daniel and re-bill Oliver.",
        ..BLANK
    },
    // 49
    Topic {
        category: BOATS,
        member: 1,
        agent: TOM,
        flow: Flow::Working,
        subject: "Junior sculling blades are too big for my daughter",
        body: "Elena has been given the big blades for sculling practice, and she says they're too heavy and too \
               long for her. Are there smaller junior blades she could use?",
        reply: "Thanks for mentioning it; it's important that juniors use the right blades. We have two pairs of \
                junior sculling blades (shorter, with smaller spoons) and I'll ask the junior coach to make sure \
                Elena gets them. Could you let me know which sessions she usually attends, so I can make sure \
                they're set out?",
        follow_up: "Saturday at 9am and Wednesday after school.",
        note: "The junior blades are still on the trailer from the regatta; need to bring them back.",
        ..BLANK
    },
    // 50
    Topic {
        category: DIRECTORY,
        member: 8,
        agent: PRIYA,
        priority: Low,
        flow: Flow::Resolved,
        subject: "My name is spelt wrong in the member directory",
        body: "My surname is shown as 'Macleod' in the directory and on my membership card, but it's 'MacLeod' \
               with a capital L. Small thing, but it's on the regatta entries too. Could you fix it?",
        reply: "Not a small thing at all; names matter! I've corrected the portal and the directory. The \
                membership card is printed from the same record, so I'll order a new one. Would you like it \
                posted, or left at the boathouse?",
        follow_up: "The boathouse is fine, thank you!",
        resolution: "Your name is now spelt MacLeod everywhere, including the regatta entries. The new card is \
                     in the office drawer with your name on it.",
        note: "Card reprint ordered.",
        ..BLANK
    },
    // 51
    Topic {
        category: BILLING,
        member: 7,
        agent: PRIYA,
        flow: Flow::Waiting,
        subject: "Can't update my payment card in the portal",
        body: "My bank card expired and I'm trying to enter the new one in the portal, but the form keeps saying \
               'payment method could not be verified'. The card works everywhere else.",
        reply: "Sorry for the hassle. That error usually means the bank's security check window was blocked by \
                the browser. Could you try again with pop-ups allowed for the portal, or from a different \
                browser, and let me know what happens?",
        note: "Several reports of this since the payment page changed. Watch for more.",
        ..BLANK
    },
    // 52
    Topic {
        category: EVENTS,
        member: 6,
        agent: TOM,
        priority: High,
        flow: Flow::Working,
        subject: "No coach for the women's squad at the regatta weekend",
        body: "The women's squad has no coach for the regatta weekend because our coach is away. We have four \
               crews racing. Is anyone available to coach us, or at least to be on the bank with a radio?",
        reply: "Thanks for flagging this early. I've asked the coaching team and the Level 2 coaches. Could you \
                send me your crews' race times once the draw is out, so I can match a coach to your schedule?",
        follow_up: "The draw is out: races at 9:20, 10:45, 13:10 and 15:30.",
        note: "Eilidh is free on Saturday morning; still need someone for the afternoon.",
        ..BLANK
    },
    // 53
    Topic {
        category: LMS,
        member: 2,
        agent: TOM,
        by_staff: true,
        priority: Low,
        flow: Flow::Triaged,
        subject: "Course certificate shows an email address instead of a name",
        body: "Aidan emailed the coaching inbox: his Capsize Drill certificate shows his email address where his \
               name should be. He needs to show it at the university sports centre. Raising a ticket to get it \
               reissued.",
        note: "The LMS display name is empty for single sign-on accounts; same root cause as Rahul's ticket.",
        ..BLANK
    },
    // 54
    Topic {
        category: BILLING,
        member: 11,
        flow: Flow::New,
        subject: "Junior squad fees next term: sibling discount?",
        body: "We've received a letter saying junior squad fees are going up next term. Is there a sibling \
               discount? Ethan's younger sister would like to join later this year and two sets of fees would \
               add up quickly.",
        ..BLANK
    },
    // 55
    Topic {
        category: BOATS,
        member: 0,
        agent: TOM,
        flow: Flow::Working,
        subject: "Masters eight re-rigged without warning",
        body: "Someone has re-rigged the masters eight (Pride of Harbour): the spread and the foot stretchers \
               have all been moved, and it took us half of Thursday's session to put them back. Can we please \
               have a rule that rigging changes are agreed with the crew that uses the boat?",
        reply: "Sorry your session was disrupted. The juniors borrowed the eight last weekend with the coach's \
                permission, but they should have restored the rigging and left a note, and I'm raising it with \
                the junior coach. Could you send me your crew's standard rig numbers, so we can put a rigging \
                card in the boat?",
        follow_up: "Spread 84 cm, work-through 2 cm, heights 16 and 17 cm. A rigging card would be great.",
        note: "Make rigging cards for all the eights; raise a 'restore the rig' rule at the next captains' \
               meeting.",
        ..BLANK
    },
    // 56
    Topic {
        category: DIRECTORY,
        member: 10,
        agent: PRIYA,
        flow: Flow::Picked,
        subject: "Directory still shows my old email address",
        body: "I changed my email address in my profile a month ago, but other members still see the old one \
               in the directory. Someone has just emailed my old work address about a social event. Is there \
               a separate setting?",
        note: "The directory caches contact details separately from the profile, and the cache hasn't refreshed \
               for some members.",
        ..BLANK
    },
    // 57
    Topic {
        category: EVENTS,
        member: 4,
        agent: TOM,
        flow: Flow::Triaged,
        subject: "Coxing the novice crews at the club regatta",
        body: "I'd be happy to cox the novice crews at the club regatta next month. Who do I speak to about the \
               schedule? I'll need the race times so I can plan around my own race.",
        note: "Pass to the regatta organiser once the schedule is set.",
        ..BLANK
    },
    // 58
    Topic {
        category: MEMBERSHIP,
        member: 5,
        priority: Low,
        flow: Flow::New,
        subject: "Guest pass for a visiting rower",
        body: "A friend from my old club is visiting for a week and would like to come out in a double with me. \
               Does the club have a guest pass, and does she need to show a capsize certificate?",
        ..BLANK
    },
    // 59
    Topic {
        category: BOATS,
        member: 3,
        flow: Flow::New,
        subject: "Booking app won't let me book the novice single",
        body: "Since this week, the booking app says I 'don't have permission' to book the novice singles. I \
               passed the Safety Check quiz a while ago and have booked them before. Has something changed?",
        ..BLANK
    },
    // 60
    Topic {
        category: BILLING,
        member: 1,
        priority: High,
        flow: Flow::New,
        subject: "Direct debit taken twice this month",
        body: "Two payments of £95 have just gone out of my account for our family membership this month. I'm \
               really not happy: this leaves me short before payday. Please refund the second payment as soon \
               as possible.",
        ..BLANK
    },
];
