use std::io::Write;

fn main() {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match scalelab_cli::run(std::env::args_os(), &mut out) {
        Ok(()) => {
            let _ = out.flush();
        }
        Err(e) => {
            let _ = out.flush();
            eprintln!("{}", e.message.trim_end());
            std::process::exit(e.code);
        }
    }
}
