//! Interactive dialogs (`OpenInteractiveDialog`, `SubmitInteractiveDialog`). An integration
//! opens one with the trigger id of a click or command it just received: the signed id is the
//! proof, so the route needs no session, and the dialog goes to the user the id names. The
//! user's submission goes back to the integration, whose field errors come back as they are.

use super::call;
use crate::bus::Event;
use crate::{App, AppResult};
use std::collections::HashSet;
use utmost_model::integration_action::{
    Dialog, DialogElement, OpenDialogRequest, SubmitDialogRequest, SubmitDialogResponse,
};
use utmost_model::AppError;

const TITLE_MAX: usize = 24;
const DISPLAY_NAME_MAX: usize = 24;
const NAME_MAX: usize = 300;
const HELP_TEXT_MAX: usize = 150;
const TEXT_MAX: usize = 150;
const TEXTAREA_MAX: usize = 3000;
const SELECT_MAX: usize = 3000;
const BOOL_MAX: usize = 150;
const TEXT_SUBTYPES: [&str; 7] = ["", "text", "email", "number", "tel", "url", "password"];

/// Verifies the trigger id and sends `open_dialog` to the connections of the user it names,
/// with the client's half of the id in place of the signed one.
pub async fn open(app: &App, mut request: OpenDialogRequest) -> AppResult<()> {
    let (client_trigger_id, user_id) = crate::trigger_id::verify(app, &request.trigger_id).await?;
    request.trigger_id = client_trigger_id;
    // Mattermost opens an invalid dialog all the same and only logs why.
    if let Err(problems) = validate(&request.dialog) {
        tracing::warn!(url = %request.url, problems = %problems.join("; "), "interactive dialog is invalid");
    }
    let dialog =
        serde_json::to_string(&request).map_err(|e| AppError::internal("api.marshal_error", e))?;
    app.publish(Event::DialogOpened { user_id, dialog }).await;
    Ok(())
}

/// Sends the submission (as `dialog_submission`, without the URL) to the dialog's URL and
/// returns the integration's errors; an empty or unreadable answer means none.
pub async fn submit(
    app: &App,
    mut request: SubmitDialogRequest,
) -> AppResult<SubmitDialogResponse> {
    let url = std::mem::take(&mut request.url);
    request.request_type = "dialog_submission".into();
    let body = serde_json::to_vec(&request).map_err(|e| {
        AppError::bad_request(
            "app.submit_interactive_dialog.json_error",
            "Encoding failed.",
        )
        .with_detail(e.to_string())
    })?;
    let answer = call(app, &url, body, &request.user_id).await?;
    Ok(serde_json::from_slice(&answer).unwrap_or_default())
}

/// `Dialog.IsValid`: every problem of the dialog, in Mattermost's checks.
pub fn validate(dialog: &Dialog) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    if dialog.title.is_empty() || dialog.title.len() > TITLE_MAX {
        problems.push(format!("invalid dialog title {:?}", dialog.title));
    }
    if !dialog.icon_url.is_empty() && !is_http_url(&dialog.icon_url) {
        problems.push("invalid icon url".into());
    }
    let mut names = HashSet::new();
    for element in dialog.elements.iter().flatten() {
        if !names.insert(element.name.as_str()) {
            problems.push(format!("duplicate dialog element {:?}", element.name));
        }
        for problem in element_problems(element) {
            problems.push(format!("{:?} field is not valid: {problem}", element.name));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn is_http_url(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

/// `DialogElement.IsValid`.
fn element_problems(e: &DialogElement) -> Vec<String> {
    let mut problems = Vec::new();
    let mut check = |field: &str, value: &str, max: usize| {
        if matches!(field, "DisplayName" | "Name") && value.is_empty() {
            problems.push(format!("{field} cannot be empty"));
        }
        if value.len() > max {
            problems.push(format!(
                "{field} cannot be longer than {max} characters, got {}",
                value.len()
            ));
        }
    };
    check("DisplayName", &e.display_name, DISPLAY_NAME_MAX);
    check("Name", &e.name, NAME_MAX);
    check("HelpText", &e.help_text, HELP_TEXT_MAX);
    let default_in_options =
        e.default.is_empty() || e.options.iter().flatten().any(|o| o.value == e.default);
    let mut type_problems = Vec::new();
    let text_max = match e.element_type.as_str() {
        "text" => Some(TEXT_MAX),
        "textarea" => Some(TEXTAREA_MAX),
        "select" => Some(SELECT_MAX),
        _ => None,
    };
    if let Some(max) = text_max {
        check("Default", &e.default, max);
        check("Placeholder", &e.placeholder, max);
    }
    match e.element_type.as_str() {
        "text" | "textarea" if !TEXT_SUBTYPES.contains(&e.subtype.as_str()) => {
            type_problems.push(format!("invalid subtype {:?}", e.subtype));
        }
        "text" | "textarea" => {}
        "select" => {
            if !matches!(e.data_source.as_str(), "" | "users" | "channels") {
                type_problems.push(format!("invalid data source {:?}", e.data_source));
            }
            if e.data_source.is_empty() && !default_in_options {
                type_problems.push(format!(
                    "default value {:?} doesn't exist in options",
                    e.default
                ));
            }
        }
        "bool" => {
            if !matches!(e.default.as_str(), "" | "true" | "false") {
                type_problems.push("invalid default of bool".into());
            }
            check("Placeholder", &e.placeholder, BOOL_MAX);
        }
        "radio" if !default_in_options => {
            type_problems.push(format!(
                "default value {:?} doesn't exist in options",
                e.default
            ));
        }
        "radio" => {}
        other => type_problems.push(format!("invalid element type: {other:?}")),
    }
    if e.min_length < 0 {
        type_problems.push(format!(
            "min length cannot be a negative number, got {}",
            e.min_length
        ));
    }
    if e.min_length > e.max_length {
        type_problems.push(format!(
            "min length should be less then max length, got {} > {}",
            e.min_length, e.max_length
        ));
    }
    problems.extend(type_problems);
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use utmost_model::integration_action::PostActionOption;

    fn element(name: &str, element_type: &str) -> DialogElement {
        DialogElement {
            display_name: name.into(),
            name: name.into(),
            element_type: element_type.into(),
            ..DialogElement::default()
        }
    }

    fn dialog(elements: Vec<DialogElement>) -> Dialog {
        Dialog {
            title: "Title".into(),
            elements: Some(elements),
            ..Dialog::default()
        }
    }

    #[test]
    fn a_well_formed_dialog_is_valid() {
        let mut select = element("pick", "select");
        select.options = Some(vec![PostActionOption {
            text: "A".into(),
            value: "a".into(),
        }]);
        select.default = "a".into();
        let mut text = element("name", "text");
        text.subtype = "email".into();
        text.max_length = 10;
        let mut users = element("who", "select");
        users.data_source = "users".into();
        let mut flag = element("ok", "bool");
        flag.default = "true".into();
        let valid = dialog(vec![
            select,
            text,
            users,
            flag,
            element("notes", "textarea"),
        ]);
        assert_eq!(validate(&valid), Ok(()));
    }

    #[test]
    fn mattermosts_checks_each_name_their_problem() {
        let problems = |d: Dialog| validate(&d).unwrap_err().join("\n");
        let untitled = Dialog {
            title: String::new(),
            ..dialog(vec![])
        };
        assert!(problems(untitled).contains("invalid dialog title"));
        let long = Dialog {
            title: "x".repeat(25),
            ..dialog(vec![])
        };
        assert!(problems(long).contains("invalid dialog title"));
        let twice = dialog(vec![element("a", "text"), element("a", "text")]);
        assert!(problems(twice).contains("duplicate dialog element \"a\""));
        assert!(problems(dialog(vec![element("a", "date-ish")])).contains("invalid element type"));
        let mut subtype = element("a", "text");
        subtype.subtype = "colour".into();
        assert!(problems(dialog(vec![subtype])).contains("invalid subtype"));
        let mut lengths = element("a", "text");
        lengths.min_length = 5;
        lengths.max_length = 2;
        assert!(problems(dialog(vec![lengths])).contains("min length should be less"));
        let mut default = element("a", "radio");
        default.default = "z".into();
        assert!(problems(dialog(vec![default])).contains("doesn't exist in options"));
        let mut nameless = element("", "text");
        nameless.display_name = "x".repeat(25);
        let text = problems(dialog(vec![nameless]));
        assert!(
            text.contains("Name cannot be empty") && text.contains("DisplayName cannot be longer")
        );
        let mut source = element("a", "select");
        source.data_source = "teams".into();
        assert!(problems(dialog(vec![source])).contains("invalid data source"));
    }
}
