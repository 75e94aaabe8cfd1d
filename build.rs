//! Places `libmswsock.so` next to `libws2_32.so`: a linker script, so `-lmswsock` resolves to
//! this library (the mswsock extension functions live in it).

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    // OUT_DIR is <target>/<profile>/build/<pkg>-<hash>/out.
    if let Some(profile_dir) = out.ancestors().nth(3) {
        let script =
            "/* GNU ld script: the mswsock functions are in libws2_32. */\nINPUT(-lws2_32)\n";
        let path = profile_dir.join("libmswsock.so");
        if std::fs::read_to_string(&path).ok().as_deref() != Some(script) {
            std::fs::write(&path, script).expect("write libmswsock.so");
        }
    }
}
