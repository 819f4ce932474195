//! Opening the window: icon, sizes, renderer with a fallback.

use thiserror::Error;

/// The window could not be opened with any renderer.
#[derive(Debug, Error)]
#[error("no renderer could open the window: {}", .tried.iter().map(|(r, e)| format!("{r}: {e}")).collect::<Vec<_>>().join("; "))]
pub struct WindowError {
    /// Each renderer tried, with why it failed.
    pub tried: Vec<(String, eframe::Error)>,
}

/// The window icon, from `assets/`.
pub fn icon() -> Option<egui::IconData> {
    let image = image::load_from_memory(include_bytes!("../../assets/icon-256.png"))
        .ok()?
        .into_rgba8();
    let (width, height) = image.dimensions();
    Some(egui::IconData {
        rgba: image.into_raw(),
        width,
        height,
    })
}

fn native_options(
    app_id: &str,
    title: &str,
    renderer: eframe::Renderer,
    data_dir: &std::path::Path,
) -> eframe::NativeOptions {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(title)
        .with_app_id(app_id)
        .with_inner_size([1100.0, 720.0])
        .with_min_inner_size([720.0, 480.0]);
    if let Some(icon) = icon() {
        viewport = viewport.with_icon(icon);
    }
    eframe::NativeOptions {
        viewport,
        renderer,
        // Size, position and maximised state come back at the next start (`window.ron`), from the
        // data folder like everything else the app keeps.
        persist_window: true,
        persistence_path: Some(data_dir.join("window.ron")),
        ..Default::default()
    }
}

/// The renderers to try, in order: `INSTAOTP_RENDERER=glow` or `=wgpu` starts with that one
/// (diagnosis, measurements, old drivers); otherwise OpenGL (glow), with wgpu as the fallback:
/// measured under software rendering, a frame costs glow a fifth of what it costs wgpu
/// (docs/PERFORMANCE.md).
fn renderer_order(asked: Option<&str>) -> [eframe::Renderer; 2] {
    const WGPU_FIRST: [eframe::Renderer; 2] = [eframe::Renderer::Wgpu, eframe::Renderer::Glow];
    const GLOW_FIRST: [eframe::Renderer; 2] = [eframe::Renderer::Glow, eframe::Renderer::Wgpu];
    match asked {
        Some(r) if r.eq_ignore_ascii_case("glow") => GLOW_FIRST,
        Some(r) if r.eq_ignore_ascii_case("wgpu") => WGPU_FIRST,
        _ => GLOW_FIRST,
    }
}

/// Makes the app once the window is open (given the window's egui context).
pub type MakeApp = Box<dyn FnOnce(&egui::Context) -> Box<dyn eframe::App>>;

/// Runs the window; when the first renderer cannot start, tries the other. `data_dir` keeps the
/// window's size and place.
pub fn run(
    app_id: &str,
    title: &str,
    data_dir: &std::path::Path,
    make_app: MakeApp,
) -> Result<(), WindowError> {
    let mut make_app = Some(make_app);
    let mut errors = Vec::new();
    let order = renderer_order(std::env::var("INSTAOTP_RENDERER").ok().as_deref());
    for renderer in order {
        tracing::info!(?renderer, "opening the window");
        let Some(make) = make_app.take() else { break };
        let options = native_options(app_id, title, renderer, data_dir);
        let slot = std::rc::Rc::new(std::cell::RefCell::new(Some(make)));
        let slot_in = slot.clone();
        let result = eframe::run_native(
            title,
            options,
            Box::new(move |cc| {
                let make = slot_in.borrow_mut().take();
                match make {
                    Some(make) => Ok(make(&cc.egui_ctx)),
                    None => Err("the app was already created".into()),
                }
            }),
        );
        match result {
            Ok(()) => return Ok(()),
            Err(e) => {
                tracing::warn!(?renderer, "renderer failed: {e}");
                errors.push((format!("{renderer:?}"), e));
                // The maker comes back only if the app was never created.
                make_app = slot.borrow_mut().take();
            }
        }
    }
    Err(WindowError { tried: errors })
}

/// Last resort when no window can open: a system dialog where one exists, and the console.
/// `text` is the whole sentence, as the caller words it.
pub fn show_fatal(text: &str) {
    eprintln!("{text}");
    // Windows and macOS: the system's own message box (no console is shown there).
    #[cfg(any(windows, target_os = "macos"))]
    {
        let _answer = rfd::MessageDialog::new()
            .set_level(rfd::MessageLevel::Error)
            .set_title(crate::APP_NAME)
            .set_description(text)
            .set_buttons(rfd::MessageButtons::Ok)
            .show();
    }
    #[cfg(not(any(windows, target_os = "macos")))]
    show_with_a_dialog_program(text);
}

/// Linux: a dialog that needs no GPU, from whichever program the desktop has.
#[cfg(not(any(windows, target_os = "macos")))]
fn show_with_a_dialog_program(text: &str) {
    let dialogs: &[(&str, &[&str])] = &[
        ("zenity", &["--error", "--title=InstaOTP Desktop", "--text"]),
        ("kdialog", &["--title", "InstaOTP Desktop", "--error"]),
        ("xmessage", &["-center"]),
    ];
    for (program, args) in dialogs {
        if std::process::Command::new(program)
            .args(*args)
            .arg(text)
            .status()
            .is_ok()
        {
            return;
        }
    }
}
