fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap();
        let (file, diags) = journey::syntax::parse(journey::source::FileId(0), &text);
        if std::env::var("AST").is_ok() {
            println!("{file:#?}");
        }
        println!("{} decls, broken {:?}", file.decls.len(), file.broken);
        for d in diags {
            println!(
                "{:?} {}..{} {} | {} | {:?}",
                d.code,
                d.primary.span.start,
                d.primary.span.end,
                d.message,
                d.primary.message,
                d.help
            );
        }
    }
}
