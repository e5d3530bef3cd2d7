//! A generator of realistic synthetic workspaces, for the benchmarks
//! (`benches/phases.rs`, `benches/scale.rs`) and their test (`tests/it/bench_generator.rs`).
//!
//! The shape, for `N` touchpoints (see [`Shape::of`]):
//!
//! * `N` touchpoints in `N/10` journey stages (10 per stage), grouped into journeys of
//!   about 100 stages (`N/1000` journeys, at least one);
//! * `N/2` activities in `N/20` value-stream stages (10 per stage), grouped into value
//!   streams of about 10 stages; each journey stage `maps to` one value-stream stage
//!   (sometimes two, sometimes none);
//! * each touchpoint `traces to` 1–3 distinct activities, mostly of the stage its stage
//!   maps to, sometimes elsewhere (a few are misaligned); about 2% trace nothing (gaps),
//!   and about 4% of activities are traced by nobody (waste: one planted in a stage in
//!   five, the rest by chance); one stage in five has an `enabling` activity;
//! * teams own the activities (a stage's activities mostly belong to one team, so
//!   hand-offs occur naturally), capabilities carry a `capacity … per week` (or per
//!   month) set from the load the generator computes, so that about 2% are overloaded
//!   (by about 10%, a warning) and the rest have headroom; a few systems and personas;
//! * realistic labels, some descriptions, emotions, channels, reaches, a few pains,
//!   failures, moments of truth with their KPIs, `process` and `wait` durations.
//!
//! The workspace checks without errors (with warnings and notes: gaps, waste,
//! hand-offs, a few misaligned traces, overloads and unmeasured stages). The text is
//! laid out exactly as `journey fmt` would lay it out. The output depends only on `N`
//! and the number of files: same arguments, same bytes. The content depends on `N`
//! only; the number of files only decides where the declarations are cut.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Bumped whenever the output changes, so that cached workspaces are regenerated.
pub const VERSION: u32 = 1;

/// How many elements of each kind a workspace of `touchpoints` touchpoints has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub touchpoints: usize,
    pub journey_stages: usize,
    pub journeys: usize,
    pub activities: usize,
    pub vs_stages: usize,
    pub value_streams: usize,
    pub teams: usize,
    /// Level-2 capabilities, which have a capacity and carry load.
    pub capabilities: usize,
    /// Level-1 capabilities, the parents of the others, one per business domain.
    pub domains: usize,
    pub systems: usize,
    pub personas: usize,
}

impl Shape {
    pub fn of(touchpoints: usize) -> Shape {
        let touchpoints = touchpoints.max(1);
        let journey_stages = (touchpoints / 10).max(1);
        let activities = (touchpoints / 2).max(1);
        let vs_stages = (touchpoints / 20).max(1);
        let capabilities = (touchpoints / 100).max(4);
        Shape {
            touchpoints,
            journey_stages,
            journeys: (touchpoints / 1000).clamp(1, journey_stages),
            activities,
            vs_stages,
            value_streams: (vs_stages / 10).max(1),
            teams: (touchpoints / 250).max(4),
            capabilities,
            domains: capabilities.min(DOMAINS.len()),
            systems: 4 + touchpoints / 5000,
            personas: PERSONAS.len(),
        }
    }

    /// Every capability, both levels.
    pub fn all_capabilities(&self) -> usize {
        self.capabilities + self.domains
    }
}

/// How the generated text reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Ids and labels as people write them (`upload_photos "Upload photos"`):
    /// about 215 bytes per touchpoint.
    Realistic,
    /// The same workspace (the same elements, attributes, traces and findings) with
    /// short ids and labels (`t3 "T3"`, `a812 "A812"`): about 100 bytes per
    /// touchpoint, so that what the compiler keeps per element, not per byte of
    /// text, shows in memory ÷ input.
    Lean,
}

impl Style {
    /// The name of the style in folder names and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Style::Realistic => "realistic",
            Style::Lean => "lean",
        }
    }
}

/// The workspace's files: paths relative to its root (sorted in declaration order),
/// and their text.
pub fn generate(touchpoints: usize, files: usize) -> Vec<(String, String)> {
    generate_in(Style::Realistic, touchpoints, files)
}

/// [`generate`] in a chosen style.
pub fn generate_in(style: Style, touchpoints: usize, files: usize) -> Vec<(String, String)> {
    let decls = Generator::new(Shape::of(touchpoints), style).declarations();
    split(&decls, files.max(1), touchpoints)
}

/// Writes a generated workspace into `dir`, which is emptied first.
pub fn write(dir: &Path, style: Style, touchpoints: usize, files: usize) -> io::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    for (path, text) in generate_in(style, touchpoints, files) {
        std::fs::write(dir.join(path), text)?;
    }
    Ok(())
}

/// Where the benchmarks keep their workspaces and results: `target/bench/` (or
/// `$CARGO_TARGET_DIR/bench/`).
pub fn bench_root() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"), PathBuf::from);
    target.join("bench")
}

/// The total size in bytes of the generated files (not the stamp) in `dir`.
pub fn size_of(dir: &Path) -> io::Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().ends_with(".journey") {
            total += entry.metadata()?.len();
        }
    }
    Ok(total)
}

/// The total size in bytes of the files below `dir`.
pub fn size_of_tree(dir: &Path) -> io::Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            total += size_of_tree(&entry.path())?;
        } else {
            total += entry.metadata()?.len();
        }
    }
    Ok(total)
}

/// The folder under `root` holding the workspace of `touchpoints` in `files` files,
/// generated only when it is missing or was made by another version of the generator.
/// The stamp is a dot-file, which the compiler does not read.
pub fn cached(root: &Path, touchpoints: usize, files: usize) -> io::Result<PathBuf> {
    cached_in(root, Style::Realistic, touchpoints, files)
}

/// [`cached`] in a chosen style; the lean workspaces live in `ws-lean-…`.
pub fn cached_in(
    root: &Path,
    style: Style,
    touchpoints: usize,
    files: usize,
) -> io::Result<PathBuf> {
    let dir = match style {
        Style::Realistic => root.join(format!("ws-{touchpoints}-{files}")),
        Style::Lean => root.join(format!("ws-lean-{touchpoints}-{files}")),
    };
    let stamp = dir.join(".generated");
    let expected = format!(
        "generator {VERSION} style {} touchpoints {touchpoints} files {files}\n",
        style.name()
    );
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(expected.as_str()) {
        return Ok(dir);
    }
    write(&dir, style, touchpoints, files)?;
    std::fs::write(&stamp, expected)?;
    Ok(dir)
}

// ------------------------------------------------------------------ randomness

/// `SplitMix64`: tiny, fast and good enough to make a workspace look varied.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be 0.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `per_mille` times in a thousand.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next() % u64::from(hi - lo + 1)) as u32
    }

    /// `count` distinct indexes in `0..n` (all of them when `count >= n`), in the
    /// order drawn.
    fn distinct(&mut self, count: usize, n: usize) -> Vec<usize> {
        if count >= n {
            return (0..n).collect();
        }
        let mut out = Vec::with_capacity(count);
        while out.len() < count {
            let i = self.below(n);
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }
}

/// The `i`th of `parts` near-equal slices of `0..total`.
fn slice(total: usize, parts: usize, i: usize) -> Range<usize> {
    i * total / parts..(i + 1) * total / parts
}

/// The part that index `x` of `0..total` falls in, for `slice(total, parts, _)`.
fn part_of(total: usize, parts: usize, x: usize) -> usize {
    // The largest i with i * total / parts <= x.
    let mut i = (x * parts / total).min(parts - 1);
    while i + 1 < parts && (i + 1) * total / parts <= x {
        i += 1;
    }
    while i > 0 && i * total / parts > x {
        i -= 1;
    }
    i
}

// ------------------------------------------------------------------ vocabulary

const PERSONAS: &[(&str, &str, &str)] = &[
    ("customer", "Retail customer", "Buys for their household, mostly online, sometimes by phone"),
    (
        "business",
        "Small-business owner",
        "Runs a firm of up to fifty people and has no time to chase",
    ),
    ("broker", "Independent broker", "Acts for clients and expects a named contact"),
    ("carer", "Family carer", "Arranges things on behalf of a relative"),
];

/// Business domains: the value streams' subject, and the level-1 capabilities.
const DOMAINS: &[(&str, &str, &str)] = &[
    ("claims", "Settle Claims", "Claims"),
    ("orders", "Fulfil Orders", "Order Management"),
    ("onboarding", "Onboard Customers", "Customer Onboarding"),
    ("billing", "Bill and Collect", "Billing"),
    ("support", "Resolve Service Requests", "Customer Service"),
    ("returns", "Handle Returns", "Returns"),
    ("lending", "Originate Loans", "Lending"),
    ("renewals", "Renew Policies", "Renewals"),
    ("delivery", "Deliver to the Door", "Logistics"),
    ("care", "Coordinate Care", "Care Coordination"),
    ("accounts", "Service Accounts", "Account Servicing"),
    ("payments", "Move Money", "Payments"),
];

const SEGMENTS: &[&str] = &["Retail", "Business", "Premier", "Online", "Regional", "Partners"];

const FUNCTIONS: &[(&str, &str)] = &[
    ("intake", "Intake"),
    ("verification", "Verification"),
    ("assessment", "Assessment"),
    ("scheduling", "Scheduling"),
    ("fulfilment", "Fulfilment"),
    ("payment", "Payment"),
    ("communications", "Communications"),
    ("case_management", "Case Management"),
    ("fraud_detection", "Fraud Detection"),
    ("documents", "Document Management"),
];

const DEPARTMENTS: &[(&str, &str)] = &[
    ("operations", "Operations"),
    ("customer_care", "Customer Care"),
    ("finance", "Finance"),
    ("digital", "Digital Channels"),
    ("risk", "Risk and Compliance"),
    ("field_service", "Field Service"),
    ("logistics", "Logistics"),
    ("specialists", "Specialist Desk"),
    ("partners", "Partner Management"),
    ("platforms", "IT Platforms"),
];

const REGIONS: &[&str] = &["North", "South", "East", "West", "Central", "Coastal", "Metro"];

const SYSTEMS: &[(&str, &str)] = &[
    ("crm", "Customer CRM"),
    ("case_system", "Case Management System"),
    ("billing_engine", "Billing Engine"),
    ("portal", "Customer Portal"),
    ("mobile_app", "Mobile App"),
    ("telephony", "Contact-centre Telephony"),
    ("doc_store", "Document Store"),
    ("payments_hub", "Payments Hub"),
    ("field_app", "Field Service App"),
    ("data_platform", "Data Platform"),
    ("notify", "Notifications Platform"),
    ("erp", "ERP"),
];

/// Value-stream stages: id, label, and a metric (id, label, target, current).
/// A metric: id, label, target, current.
type Metric = (&'static str, &'static str, &'static str, &'static str);

const VS_STAGES: &[(&str, &str, Metric)] = &[
    ("intake", "Take the Request", ("intake_minutes", "Intake time", "<= 10 min", "14 min")),
    ("register", "Register", ("registered_same_day", "Registered same day", ">= 95%", "88%")),
    ("verify", "Verify Details", ("verified_first_time", "Verified first time", ">= 90%", "81%")),
    ("assess", "Assess", ("days_to_assess", "Days to assess", "<= 3 days", "5 days")),
    ("decide", "Decide", ("decision_days", "Days to a decision", "<= 5 days", "8 days")),
    ("arrange", "Arrange the Work", ("arranged_in_48h", "Arranged within 48 h", ">= 90%", "76%")),
    ("fulfil", "Fulfil", ("fulfilled_on_time", "Fulfilled on time", ">= 95%", "91%")),
    ("deliver", "Deliver", ("delivered_first_try", "Delivered first try", ">= 97%", "93%")),
    (
        "confirm",
        "Confirm the Outcome",
        ("confirmed_same_day", "Confirmed same day", ">= 98%", "95%"),
    ),
    ("settle", "Settle", ("days_to_settle", "Days to settle", "<= 10 days", "14 days")),
    ("follow_up", "Follow Up", ("complaints_rate", "Complaints per 1,000", "< 5", "7.5")),
    ("close", "Close and Learn", ("reopened_rate", "Reopened within 30 days", "< 2%", "3.1%")),
];

const ENTRANCES: &[&str] = &[
    "Request received through any channel",
    "Previous stage signed off",
    "All mandatory documents on file",
    "Customer has confirmed the details",
];

const EXITS: &[&str] = &[
    "Outcome recorded on the case",
    "Customer told what happens next",
    "Work handed to the next team with a complete file",
    "Payment reconciled",
];

const VALUES: &[&str] = &[
    "Customer knows the request is in hand",
    "Customer gets a fair, explained decision",
    "Customer is back where they were, quickly",
    "Customer pays the right amount, once",
];

const ACTIVITIES: &[(&str, &str)] = &[
    ("log_request", "Log the request"),
    ("check_identity", "Check identity documents"),
    ("verify_cover", "Verify cover and entitlement"),
    ("score_risk", "Score the risk"),
    ("screen_fraud", "Screen for fraud indicators"),
    ("triage", "Triage and assign"),
    ("call_back", "Call the customer back"),
    ("request_documents", "Request missing documents"),
    ("review_documents", "Review the documents"),
    ("estimate_cost", "Estimate the cost"),
    ("approve", "Approve within authority"),
    ("refer_up", "Refer to a senior handler"),
    ("book_visit", "Book a site visit"),
    ("inspect", "Inspect on site"),
    ("order_parts", "Order parts"),
    ("schedule_work", "Schedule the work"),
    ("dispatch", "Dispatch the field team"),
    ("update_customer", "Send a progress update"),
    ("quality_check", "Quality-check the work"),
    ("issue_invoice", "Issue the invoice"),
    ("take_payment", "Take the payment"),
    ("pay_out", "Pay out to the customer"),
    ("reconcile", "Reconcile the ledger"),
    ("close_case", "Close the case"),
    ("send_survey", "Send the satisfaction survey"),
    ("archive", "Archive the file"),
    ("set_reserve", "Set the reserve"),
    ("check_credit", "Check the credit file"),
    ("underwrite", "Underwrite the case"),
    ("print_pack", "Print the welcome pack"),
    ("ship", "Pick, pack and ship"),
    ("track", "Track the shipment"),
    ("handle_complaint", "Handle the complaint"),
    ("escalate", "Escalate to a specialist"),
    ("capture_online", "Capture the request online"),
    ("answer_call", "Answer the call"),
    ("confirm_booking", "Confirm the booking"),
    ("collect_arrears", "Collect arrears"),
    ("audit_sample", "Audit a sample of cases"),
    ("notify_partner", "Notify the partner"),
    ("record_decision", "Record the decision"),
    ("explain_decision", "Explain the decision"),
];

const LANES: &[&str] = &["frontstage", "backstage", "backstage", "support"];

const FAILURES: &[&str] = &[
    "Upload times out on mobile data",
    "Case lands in the wrong queue",
    "Customer record is duplicated",
    "Handler re-keys details the customer already gave",
    "Partner does not confirm the booking",
    "Payment file rejected by the bank",
];

const DESCRIPTIONS: &[&str] = &[
    "Done by hand today; the automation business case is in review",
    "Volumes peak on Mondays and after storms",
    "Shared with the partner network under the 2023 service agreement",
    "Measured weekly by the operations performance team",
    "Scripted; handlers may deviate for vulnerable customers",
];

const JOURNEYS: &[(&str, &str)] = &[
    ("motor_claim", "Motor Claim"),
    ("home_claim", "Home Claim"),
    ("open_account", "Open an Account"),
    ("first_order", "First Order"),
    ("return_item", "Return an Item"),
    ("apply_loan", "Apply for a Loan"),
    ("move_house", "Move House"),
    ("renew_policy", "Renew a Policy"),
    ("report_fault", "Report a Fault"),
    ("book_appointment", "Book an Appointment"),
    ("change_plan", "Change Plan"),
    ("pay_bill", "Pay a Bill"),
];

const JOURNEY_DESCRIPTIONS: &[&str] = &[
    "Current state, from the 2024 diary study and the contact-centre call logs",
    "Mapped with the operations leads; volumes are the trailing twelve-month average",
    "The most common path; edge cases are in the exceptions workshop notes",
];

const JOURNEY_STAGES: &[(&str, &str)] = &[
    ("discover", "Discover"),
    ("compare", "Compare options"),
    ("apply", "Apply"),
    ("report", "Report the problem"),
    ("identify", "Prove who I am"),
    ("send_documents", "Send the documents"),
    ("hear_back", "Wait to hear back"),
    ("decision", "Get the decision"),
    ("arrange", "Arrange the visit"),
    ("on_the_day", "On the day"),
    ("repair", "Get it fixed"),
    ("pay", "Pay"),
    ("get_paid", "Get paid"),
    ("track", "Track progress"),
    ("chase", "Chase for news"),
    ("complain", "Complain"),
    ("confirmation", "Confirmation"),
    ("use", "Use the service"),
    ("renew", "Renew"),
    ("leave", "Leave"),
    ("get_started", "Get started"),
    ("delivery", "Delivery"),
    ("settle_up", "Settle up"),
    ("feedback", "Give feedback"),
];

/// Touchpoints: id, label, channel (an id, or a string when it has a space).
const TOUCHPOINTS: &[(&str, &str, &str)] = &[
    ("call", "Call the contact centre", "phone"),
    ("web_form", "Fill in the web form", "web"),
    ("app_form", "Start in the app", "app"),
    ("chatbot", "Ask the chatbot", "chat"),
    ("email_ack", "Receive the acknowledgement e-mail", "email"),
    ("sms_update", "Get an SMS update", "sms"),
    ("letter", "Receive a letter", "post"),
    ("upload_photos", "Upload photos", "app"),
    ("upload_id", "Upload a photo ID", "app"),
    ("video_call", "Join a video call", "video"),
    ("home_visit", "Meet the engineer at home", "\"in person\""),
    ("branch", "Visit a branch", "\"in person\""),
    ("track_online", "Check the status online", "web"),
    ("take_call_back", "Take the call-back", "phone"),
    ("sign", "Sign the agreement", "web"),
    ("pay_card", "Pay by card", "web"),
    ("direct_debit", "Set up a direct debit", "web"),
    ("money_arrives", "See the money arrive", "bank"),
    ("survey", "Answer the survey", "email"),
    ("complain_call", "Complain by phone", "phone"),
    ("read_terms", "Read the terms", "web"),
    ("book_slot", "Book a time slot", "web"),
    ("reschedule", "Reschedule the visit", "phone"),
    ("delivery_window", "Get a delivery window", "sms"),
    ("courier", "Hand over to the courier", "\"in person\""),
    ("unbox", "Unbox the order", "\"in person\""),
    ("reset_password", "Reset the password", "web"),
    ("verify_email", "Verify the e-mail address", "email"),
    ("quote", "Get a quote", "web"),
    ("compare_quotes", "Compare quotes", "web"),
    ("chat_agent", "Chat with an agent", "chat"),
    ("social_post", "Post on social media", "social"),
    ("receive_card", "Receive the card", "post"),
    ("activate", "Activate the account", "app"),
    ("statement", "Read the statement", "app"),
    ("reminder", "Get a reminder", "sms"),
    ("phone_queue", "Wait in the phone queue", "phone"),
    ("confirm_details", "Confirm the details", "phone"),
    ("receipt", "Keep the receipt", "email"),
    ("refer_friend", "Refer a friend", "app"),
];

const PAINS: &[&str] = &[
    "Had to repeat the details twice",
    "Nobody called back as promised",
    "The form timed out and lost everything",
    "Could not find the reference number",
    "On hold for twenty minutes",
    "The letter is full of jargon",
    "Asked for documents already sent",
];

const KPIS: &[(&str, &str, &str)] = &[
    ("Answered within 60 s", ">= 80%", "71%"),
    ("Completion rate", ">= 85%", "72%"),
    ("Resolved first time", ">= 75%", "64%"),
    ("Customer effort score", "<= 2", "2.6"),
];

const OPPORTUNITIES: &[(&str, &str)] = &[
    ("prefill", "Prefill what we already know"),
    ("self_serve", "Let the customer do it online"),
    ("proactive_update", "Tell them before they ask"),
];

const MIXES: &[&str] = &[
    "mix simple 60% standard 30% complex 10%",
    "mix simple 40% standard 40% complex 20%",
    "mix standard 80% complex 20%",
];

// ------------------------------------------------------------------ layout

/// A declaration or attribute as `journey fmt` sees it (`src/fmt/tree.rs`): a line
/// and, for a declaration with a block, its children.
struct Node {
    line: String,
    children: Option<Vec<Node>>,
}

impl Node {
    fn attr(line: impl Into<String>) -> Node {
        Node { line: line.into(), children: None }
    }

    fn decl(line: impl Into<String>, children: Vec<Node>) -> Node {
        Node { line: line.into(), children: Some(children) }
    }

    fn is_leaf(&self) -> bool {
        self.children.as_ref().is_none_or(Vec::is_empty)
    }
}

/// The layout rules of `src/fmt/print.rs`, for text without comments.
struct Printer {
    out: String,
}

const WIDTH: usize = 100;
const INLINE_ATTRIBUTES: usize = 2;

impl Printer {
    fn node(&mut self, n: &Node, indent: usize) {
        let pad = "  ".repeat(indent);
        let children = match &n.children {
            Some(children) if !children.is_empty() => children,
            _ => {
                let _ = writeln!(self.out, "{pad}{}", n.line);
                return;
            }
        };
        if let Some(line) = inline(n, indent) {
            self.out.push_str(&line);
            self.out.push('\n');
            return;
        }
        let _ = writeln!(self.out, "{pad}{} {{", n.line);
        for (i, child) in children.iter().enumerate() {
            if i > 0 && (!one_line(&children[i - 1], indent + 1) || !one_line(child, indent + 1)) {
                self.blank();
            }
            self.node(child, indent + 1);
        }
        let _ = writeln!(self.out, "{pad}}}");
    }

    fn blank(&mut self) {
        let at_start = self.out.is_empty() || self.out.ends_with("{\n");
        if !at_start && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }
}

fn inline(n: &Node, indent: usize) -> Option<String> {
    let children = n.children.as_ref()?;
    if children.len() > INLINE_ATTRIBUTES || children.iter().any(|c| c.children.is_some()) {
        return None;
    }
    let body: Vec<&str> = children.iter().map(|c| c.line.as_str()).collect();
    let line = format!("{}{} {{ {} }}", "  ".repeat(indent), n.line, body.join(" "));
    (line.chars().count() <= WIDTH).then_some(line)
}

fn one_line(n: &Node, indent: usize) -> bool {
    n.is_leaf() || inline(n, indent).is_some()
}

fn first_word(line: &str) -> &str {
    line.split(' ').next().unwrap_or(line)
}

// ------------------------------------------------------------------ the model

/// What the generator decided about an activity, as far as traces and load need.
struct Activity {
    /// `stream.activity`, as `traces to` writes it.
    path: String,
    /// Where the id starts in `path`: activity ids are unique in the workspace, so
    /// `traces to` may also name them alone.
    id_at: usize,
    capabilities: Vec<usize>,
    /// Never traced: an `enabling` activity, or planted waste.
    reserved: bool,
}

/// What kind of top-level declaration a node is, to name the file it starts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Organisation,
    Capabilities,
    ValueStreams,
    Journeys,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Organisation => "organisation",
            Kind::Capabilities => "capabilities",
            Kind::ValueStreams => "value-streams",
            Kind::Journeys => "journeys",
        }
    }
}

struct Generator {
    shape: Shape,
    style: Style,
    rng: Rng,
    activities: Vec<Activity>,
    /// The activities of each value-stream stage.
    stage_activities: Vec<Range<usize>>,
    /// Load per week on each level-2 capability.
    load: Vec<f64>,
}

impl Generator {
    fn new(shape: Shape, style: Style) -> Generator {
        Generator {
            shape,
            style,
            rng: Rng(0x6A6F_7572_6E65_7921 ^ shape.touchpoints as u64),
            activities: Vec::with_capacity(shape.activities),
            stage_activities: Vec::with_capacity(shape.vs_stages),
            load: vec![0.0; shape.capabilities],
        }
    }

    /// Every top-level declaration, in file order, with its kind.
    fn declarations(mut self) -> Vec<(Kind, Node)> {
        // Value streams first: journeys trace to their activities, and capacities
        // follow from the journeys' load.
        let streams: Vec<Node> = (0..self.shape.value_streams).map(|s| self.stream(s)).collect();
        let journeys: Vec<Node> = (0..self.shape.journeys).map(|j| self.journey(j)).collect();
        let mut out = Vec::new();
        for node in self.organisation() {
            out.push((Kind::Organisation, node));
        }
        for node in self.capabilities() {
            out.push((Kind::Capabilities, node));
        }
        out.extend(streams.into_iter().map(|n| (Kind::ValueStreams, n)));
        out.extend(journeys.into_iter().map(|n| (Kind::Journeys, n)));
        out
    }

    fn team_id(style: Style, t: usize) -> String {
        match style {
            Style::Realistic => format!("{}_{t}", DEPARTMENTS[t % DEPARTMENTS.len()].0),
            Style::Lean => format!("w{t}"),
        }
    }

    fn system_id(s: usize) -> String {
        let name = SYSTEMS[s % SYSTEMS.len()].0;
        if s < SYSTEMS.len() { name.to_owned() } else { format!("{name}_{s}") }
    }

    fn capability_id(style: Style, c: usize, domains: usize) -> String {
        let function = FUNCTIONS[(c / domains) % FUNCTIONS.len()].0;
        match style {
            Style::Realistic => format!("{function}_{c}"),
            Style::Lean => format!("c{c}"),
        }
    }

    fn stream_id(style: Style, s: usize) -> String {
        match style {
            Style::Realistic => format!("{}_{s}", DOMAINS[s % DOMAINS.len()].0),
            Style::Lean => format!("v{s}"),
        }
    }

    fn organisation(&mut self) -> Vec<Node> {
        let mut out = Vec::new();
        for (i, (id, label, description)) in PERSONAS.iter().enumerate() {
            let children = if i % 2 == 0 {
                vec![Node::attr(format!("description {}", quote(description)))]
            } else {
                Vec::new()
            };
            out.push(Node::decl(format!("persona {id} {}", quote(label)), children));
        }
        for t in 0..self.shape.teams {
            let (_, department) = DEPARTMENTS[t % DEPARTMENTS.len()];
            let region = REGIONS[(t / DEPARTMENTS.len()) % REGIONS.len()];
            let label =
                format!("{department}, {region} {}", t / (DEPARTMENTS.len() * REGIONS.len()) + 1);
            out.push(Node::decl(
                format!("team {} {}", Self::team_id(self.style, t), quote(&label)),
                Vec::new(),
            ));
        }
        for s in 0..self.shape.systems {
            let (_, label) = SYSTEMS[s % SYSTEMS.len()];
            let owner = Self::team_id(self.style, self.rng.below(self.shape.teams));
            out.push(Node::decl(
                format!("system {} {}", Self::system_id(s), quote(label)),
                vec![Node::attr(format!("owner {owner}"))],
            ));
        }
        out
    }

    fn stream(&mut self, s: usize) -> Node {
        let shape = self.shape;
        let (_, label, _) = DOMAINS[s % DOMAINS.len()];
        let segment = SEGMENTS[(s / DOMAINS.len()) % SEGMENTS.len()];
        let stream_id = Self::stream_id(self.style, s);
        let mut children = Vec::new();
        if self.rng.chance(500) {
            children
                .push(Node::attr(format!("description {}", quote(self.rng.pick(DESCRIPTIONS)))));
        }
        children.push(Node::attr(format!("stakeholder {}", PERSONAS[s % PERSONAS.len()].0)));
        // Three teams do most of this stream's work, one stage each in turn.
        let home: Vec<usize> = (0..3).map(|r| (s * 3 + r) % shape.teams).collect();
        let stages = slice(shape.vs_stages, shape.value_streams, s);
        for (k, v) in stages.enumerate() {
            let (name, stage_label, (metric, metric_label, target, current)) =
                VS_STAGES[k % VS_STAGES.len()];
            let stage_id =
                if k < VS_STAGES.len() { name.to_owned() } else { format!("{name}_{k}") };
            let mut items = Vec::new();
            if self.rng.chance(300) {
                items.push(Node::attr(format!("entrance {}", quote(self.rng.pick(ENTRANCES)))));
                items.push(Node::attr(format!("exit {}", quote(self.rng.pick(EXITS)))));
            }
            if self.rng.chance(200) {
                items.push(Node::attr(format!("value {}", quote(self.rng.pick(VALUES)))));
            }
            // One stage in twenty is not measured (a `journey::unmeasured` warning).
            if !self.rng.chance(50) {
                items.push(Node::decl(
                    format!("metric {metric} {}", quote(metric_label)),
                    vec![
                        Node::attr(format!("target {}", quote(target))),
                        Node::attr(format!("current {}", quote(current))),
                    ],
                ));
            }
            let range = slice(shape.activities, shape.vs_stages, v);
            let count = range.len();
            let primary = home[k % 3];
            let secondary = home[(k + 1) % 3];
            let capabilities: Vec<usize> = {
                let base = v * shape.capabilities / shape.vs_stages;
                (0..3).map(|i| (base + i) % shape.capabilities).collect()
            };
            let system = v * shape.systems / shape.vs_stages;
            // Stage 0 always plants one waste activity, so that even the smallest
            // workspace has one; then one stage in five does.
            let waste = count >= 3 && (v == 0 || self.rng.chance(200));
            let enabling = count >= 4 && self.rng.chance(200);
            let verbs = self.rng.distinct(count, ACTIVITIES.len());
            for (i, a) in range.clone().enumerate() {
                let (verb, activity_label) = ACTIVITIES[verbs[i % verbs.len()]];
                let (id, activity_label) = match self.style {
                    Style::Realistic if i < verbs.len() => {
                        (format!("{verb}_{v}"), activity_label.to_owned())
                    }
                    Style::Realistic => (format!("{verb}_{v}_{i}"), activity_label.to_owned()),
                    Style::Lean => (format!("a{a}"), format!("A{a}")),
                };
                let is_enabling = enabling && i + 1 == count;
                let is_waste = waste && i + 2 == count;
                let owner = match self.rng.below(100) {
                    0..82 => primary,
                    82..94 => secondary,
                    _ => self.rng.below(shape.teams),
                };
                let mut attrs =
                    vec![Node::attr(format!("owner {}", Self::team_id(self.style, owner)))];
                if self.rng.chance(300) {
                    attrs.push(Node::attr(format!("lane {}", self.rng.pick(LANES))));
                }
                let mut used = Vec::new();
                if self.rng.chance(700) {
                    used.push(capabilities[self.rng.below(3)]);
                    if self.rng.chance(100) {
                        let other = capabilities[self.rng.below(3)];
                        if !used.contains(&other) {
                            used.push(other);
                        }
                    }
                    let names: Vec<String> = used
                        .iter()
                        .map(|&c| Self::capability_id(self.style, c, shape.domains))
                        .collect();
                    attrs.push(Node::attr(format!("capability {}", names.join(", "))));
                }
                if self.rng.chance(200) {
                    let sys =
                        if self.rng.chance(800) { system } else { self.rng.below(shape.systems) };
                    attrs.push(Node::attr(format!("system {}", Self::system_id(sys))));
                }
                if self.rng.chance(250) {
                    attrs.push(Node::attr(format!("process {}", self.duration(false))));
                }
                if self.rng.chance(120) {
                    attrs.push(Node::attr(format!("wait {}", self.duration(true))));
                }
                if self.rng.chance(20) {
                    attrs.push(Node::attr(format!("failure {}", quote(self.rng.pick(FAILURES)))));
                }
                if self.rng.chance(20) {
                    attrs.push(Node::attr(format!(
                        "description {}",
                        quote(self.rng.pick(DESCRIPTIONS))
                    )));
                }
                if is_enabling {
                    attrs.push(Node::attr("enabling"));
                }
                items.push(Node::decl(format!("activity {id} {}", quote(&activity_label)), attrs));
                debug_assert_eq!(self.activities.len(), a);
                self.activities.push(Activity {
                    path: format!("{stream_id}.{id}"),
                    id_at: stream_id.len() + 1,
                    capabilities: used,
                    reserved: is_enabling || is_waste,
                });
            }
            self.stage_activities.push(range);
            children.push(Node::decl(format!("stage {stage_id} {}", quote(stage_label)), items));
        }
        let label = format!("{label}: {segment}");
        Node::decl(format!("value stream {stream_id} {}", quote(&label)), children)
    }

    /// A duration as `journey fmt` writes it; waits are longer than work.
    fn duration(&mut self, wait: bool) -> String {
        match (wait, self.rng.below(4)) {
            (false, 0..=2) => format!("{} min", self.rng.between(1, 12) * 5),
            (false, _) => format!("{}.5 h", self.rng.between(0, 3)),
            (true, 0) => format!("{} h", self.rng.between(1, 8)),
            (true, 1) => "1 day".to_owned(),
            (true, 2) => format!("{} days", self.rng.between(2, 10)),
            (true, _) => format!("{} weeks", self.rng.between(2, 4)),
        }
    }

    fn journey(&mut self, j: usize) -> Node {
        let shape = self.shape;
        let (name, label) = JOURNEYS[j % JOURNEYS.len()];
        let mut children = Vec::new();
        if self.rng.chance(500) {
            children.push(Node::attr(format!(
                "description {}",
                quote(self.rng.pick(JOURNEY_DESCRIPTIONS))
            )));
        }
        children.push(Node::attr(format!("persona {}", PERSONAS[j % PERSONAS.len()].0)));
        if self.rng.chance(100) {
            children.push(Node::attr("state future"));
        } else {
            children.push(Node::attr("state current"));
        }
        // Volume per week, written per week or per month.
        let weekly = f64::from(self.rng.between(4, 120) * 50);
        if self.rng.chance(300) {
            let monthly = (weekly * 365.0 / 12.0 / 7.0 / 100.0).round() * 100.0;
            children.push(Node::attr(format!("volume {monthly} per month")));
        } else {
            children.push(Node::attr(format!("volume {weekly} per week")));
        }
        let weekly_volume = children
            .last()
            .and_then(|n| volume_per_week(&n.line))
            .expect("a volume was just written");
        let mut complexity = 1.0;
        if self.rng.chance(400) {
            let mix = self.rng.pick(MIXES);
            complexity = mix_complexity(mix);
            children.push(Node::attr(mix));
        }
        let stages = slice(shape.journey_stages, shape.journeys, j);
        for (k, s) in stages.enumerate() {
            let stage = self.journey_stage(s, k, weekly_volume * complexity);
            children.push(stage);
        }
        let id = format!("{name}_{j}");
        Node::decl(format!("journey {id} {}", quote(label)), children)
    }

    fn journey_stage(&mut self, s: usize, k: usize, volume: f64) -> Node {
        let shape = self.shape;
        let (name, label) = JOURNEY_STAGES[k % JOURNEY_STAGES.len()];
        let mut items = Vec::new();
        // The value-stream stages that serve this one: mostly one, sometimes the
        // next as well, sometimes none declared (then its traces are not checked).
        let home = s * shape.vs_stages / shape.journey_stages;
        let mut served = vec![home];
        match self.rng.below(100) {
            0..12 if home + 1 < shape.vs_stages => served.push(home + 1),
            _ => {}
        }
        let declared = !self.rng.chance(30);
        if declared {
            let paths: Vec<String> = served.iter().map(|&v| self.vs_stage_path(v)).collect();
            items.push(Node::attr(format!("maps to {}", paths.join(", "))));
        }
        let touchpoints = slice(shape.touchpoints, shape.journey_stages, s);
        let picks = self.rng.distinct(touchpoints.len(), TOUCHPOINTS.len());
        for i in 0..touchpoints.len() {
            let (tp, tp_label, channel) = TOUCHPOINTS[picks[i % picks.len()]];
            let (id, tp_label) = match self.style {
                Style::Realistic if i < picks.len() => (tp.to_owned(), tp_label.to_owned()),
                Style::Realistic => (format!("{tp}_{i}"), tp_label.to_owned()),
                Style::Lean => (format!("t{i}"), format!("T{i}")),
            };
            items.push(self.touchpoint(&id, &tp_label, channel, &served, volume));
        }
        match self.style {
            Style::Realistic => Node::decl(format!("stage {name}_{k} {}", quote(label)), items),
            Style::Lean => Node::decl(format!("stage s{k} \"S{k}\""), items),
        }
    }

    /// `stream.stage` of a value-stream stage.
    fn vs_stage_path(&self, v: usize) -> String {
        let shape = self.shape;
        let stream = part_of(shape.vs_stages, shape.value_streams, v);
        let k = v - slice(shape.vs_stages, shape.value_streams, stream).start;
        let name = VS_STAGES[k % VS_STAGES.len()].0;
        let stage = if k < VS_STAGES.len() { name.to_owned() } else { format!("{name}_{k}") };
        format!("{}.{stage}", Self::stream_id(self.style, stream))
    }

    fn touchpoint(
        &mut self,
        id: &str,
        label: &str,
        channel: &str,
        served: &[usize],
        volume: f64,
    ) -> Node {
        let mut attrs = Vec::new();
        if self.rng.chance(20) {
            attrs.push(Node::attr(format!("description {}", quote(self.rng.pick(DESCRIPTIONS)))));
        }
        if self.rng.chance(350) {
            attrs.push(Node::attr(format!("channel {channel}")));
        }
        if self.rng.chance(450) {
            let emotion = match self.rng.below(10) {
                0 => -3,
                1 | 2 => -2,
                3 | 4 => -1,
                5 => 0,
                6 | 7 => 1,
                8 => 2,
                _ => 3,
            };
            let sign = if emotion > 0 { "+" } else { "" };
            attrs.push(Node::attr(format!("emotion {sign}{emotion}")));
        }
        let mut reach = 1.0;
        if self.rng.chance(250) {
            let percent = self.rng.between(2, 19) * 5;
            reach = f64::from(percent) / 100.0;
            attrs.push(Node::attr(format!("reach {percent}%")));
        }
        let moment = self.rng.chance(30);
        if moment {
            attrs.push(Node::attr("moment of truth"));
        }
        if self.rng.chance(40) {
            attrs.push(Node::attr(format!("pain {}", quote(self.rng.pick(PAINS)))));
        }
        if moment && self.rng.chance(850) {
            let (kpi, target, current) = self.rng.pick(KPIS);
            attrs.push(Node::decl(
                format!("kpi {}", quote(kpi)),
                vec![
                    Node::attr(format!("target {}", quote(target))),
                    Node::attr(format!("current {}", quote(current))),
                ],
            ));
        }
        if self.rng.chance(5) {
            let (opportunity, opportunity_label) = self.rng.pick(OPPORTUNITIES);
            attrs.push(Node::decl(
                format!("opportunity {opportunity} {}", quote(opportunity_label)),
                vec![Node::attr("impact high"), Node::attr("effort medium")],
            ));
        }
        // 2% are gaps; the others trace to one to three activities.
        if !self.rng.chance(20) {
            let wanted = match self.rng.below(100) {
                0..40 => 1,
                40..80 => 2,
                _ => 3,
            };
            let mut traced: Vec<usize> = Vec::with_capacity(wanted);
            for _ in 0..wanted * 3 {
                if traced.len() == wanted {
                    break;
                }
                // 1% of traces go to some other stage (misaligned where the stage
                // declares what serves it).
                let stage = if self.rng.chance(10) {
                    self.rng.below(self.shape.vs_stages)
                } else {
                    self.rng.pick(served)
                };
                let range = self.stage_activities[stage].clone();
                let a = range.start + self.rng.below(range.len());
                if !self.activities[a].reserved && !traced.contains(&a) {
                    traced.push(a);
                }
            }
            if !traced.is_empty() {
                // Most write the bare id, as people do when it is unique; some write
                // `stream.activity`.
                let qualified = self.rng.chance(350) && self.style == Style::Realistic;
                let paths: Vec<&str> = traced
                    .iter()
                    .map(|&a| {
                        let activity = &self.activities[a];
                        if qualified {
                            &activity.path[..]
                        } else {
                            &activity.path[activity.id_at..]
                        }
                    })
                    .collect();
                attrs.push(Node::attr(format!("traces to {}", paths.join(", "))));
                // Each touchpoint counts once per capability (docs/language.md).
                let mut counted: Vec<usize> = Vec::new();
                for &a in &traced {
                    for &c in &self.activities[a].capabilities {
                        if !counted.contains(&c) {
                            counted.push(c);
                            self.load[c] += volume * reach;
                        }
                    }
                }
            }
        }
        Node::decl(format!("touchpoint {id} {}", quote(label)), attrs)
    }

    fn capabilities(&mut self) -> Vec<Node> {
        let shape = self.shape;
        let mut out = Vec::new();
        for (d, (domain, _, label)) in DOMAINS.iter().enumerate().take(shape.domains) {
            let owner = Self::team_id(self.style, d % shape.teams);
            out.push(Node::decl(
                format!("capability {domain}_management {}", quote(&format!("{label} Management"))),
                vec![Node::attr("level 1"), Node::attr(format!("owner {owner}"))],
            ));
        }
        for c in 0..shape.capabilities {
            let (domain, _, domain_label) = DOMAINS[c % shape.domains];
            let (_, function_label) = FUNCTIONS[(c / shape.domains) % FUNCTIONS.len()];
            let id = Self::capability_id(self.style, c, shape.domains);
            let owner = Self::team_id(self.style, self.rng.below(shape.teams));
            // Headroom of 30% to 200%; one capability in fifty runs about 10% over.
            let weekly = self.load[c];
            let factor = if self.rng.chance(20) && weekly > 100.0 {
                1.0 / 1.1
            } else {
                1.3 + f64::from(self.rng.between(0, 170)) / 100.0
            };
            let capacity = if self.rng.chance(300) {
                format!(
                    "capacity {} per month",
                    round_capacity(weekly * factor * 365.0 / 12.0 / 7.0)
                )
            } else {
                format!("capacity {} per week", round_capacity(weekly * factor))
            };
            out.push(Node::decl(
                format!("capability {id} {}", quote(&format!("{domain_label} {function_label}"))),
                vec![
                    Node::attr("level 2"),
                    Node::attr(format!("parent {domain}_management")),
                    Node::attr(capacity),
                    Node::attr(format!("owner {owner}")),
                ],
            ));
        }
        out
    }
}

/// A capacity with two significant figures, at least 10.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn round_capacity(x: f64) -> u64 {
    let x = x.max(10.0);
    let magnitude = 10f64.powi(x.log10().floor() as i32 - 1);
    ((x / magnitude).round() * magnitude) as u64
}

fn volume_per_week(line: &str) -> Option<f64> {
    let mut words = line.split(' ');
    let _ = words.next()?;
    let amount: f64 = words.next()?.parse().ok()?;
    let _ = words.next()?;
    match words.next()? {
        "week" => Some(amount),
        "month" => Some(amount * 7.0 / (365.0 / 12.0)),
        _ => None,
    }
}

/// 0.5 × simple + 1 × standard + 2 × complex.
fn mix_complexity(mix: &str) -> f64 {
    let words: Vec<&str> = mix.split(' ').skip(1).collect();
    words
        .chunks(2)
        .map(|pair| {
            let share: f64 = pair[1].trim_end_matches('%').parse::<f64>().unwrap_or(0.0) / 100.0;
            let weight = match pair[0] {
                "simple" => 0.5,
                "complex" => 2.0,
                _ => 1.0,
            };
            weight * share
        })
        .sum()
}

/// A string literal; the vocabulary has no character that needs an escape.
fn quote(text: &str) -> String {
    debug_assert!(!text.contains(['"', '\\']));
    format!("\"{text}\"")
}

// ------------------------------------------------------------------ files

/// Cuts the declarations into `files` files of about the same size, whole
/// declarations each, in order; a file is named after the kind it starts with.
fn split(decls: &[(Kind, Node)], files: usize, touchpoints: usize) -> Vec<(String, String)> {
    let texts: Vec<(Kind, String)> = decls
        .iter()
        .map(|(kind, node)| {
            let mut p = Printer { out: String::new() };
            p.node(node, 0);
            (*kind, p.out)
        })
        .collect();
    let total: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let mut out = Vec::with_capacity(files);
    let mut next = 0;
    let mut done = 0;
    for f in 0..files {
        // Take declarations until this file reaches its share of the bytes, leaving
        // at least one declaration for each file still to come when possible.
        let goal = (f + 1) * total / files;
        let mut end = next;
        let left_for_others = files - f - 1;
        while end < texts.len() && (end == next || done + texts[end].1.len() <= goal) {
            if texts.len() - end <= left_for_others && end > next {
                break;
            }
            done += texts[end].1.len();
            end += 1;
        }
        if f + 1 == files {
            while end < texts.len() {
                done += texts[end].1.len();
                end += 1;
            }
        }
        let nodes: Vec<&Node> = decls[next..end].iter().map(|(_, n)| n).collect();
        let kind = decls.get(next).map_or(Kind::Journeys, |(k, _)| *k);
        let mut p = Printer { out: String::new() };
        let _ = writeln!(
            p.out,
            "// Generated by benches/support/generate.rs (version {VERSION}): {touchpoints} \
             touchpoints, part {} of {files}.\n",
            f + 1
        );
        top(&mut p, &nodes);
        out.push((format!("{:03}-{}.journey", f + 1, kind.name()), p.out));
        next = end;
    }
    out
}

fn top(p: &mut Printer, nodes: &[&Node]) {
    for (i, node) in nodes.iter().enumerate() {
        if i > 0 {
            let previous = nodes[i - 1];
            let same_kind = first_word(&previous.line) == first_word(&node.line);
            if !(same_kind && one_line(previous, 0) && one_line(node, 0)) {
                p.blank();
            }
        }
        p.node(node, 0);
    }
}
