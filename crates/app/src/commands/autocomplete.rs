//! The team's command list (`ListAutocompleteCommands`) and the suggestions for what the
//! user typed (`app/command_autocomplete.go`): triggers, subcommands, named and positional
//! arguments, static lists and dynamic lists. A dynamic list's items come from its
//! `FetchURL`: an http(s) URL is fetched with GET through `outgoing::exchange` (so the SSRF
//! guard applies), any other URL is asked of the provider that owns the command.

use super::registry::CommandCall;
use super::{builtins, CommandError};
use crate::{App, AppResult};
use futures_util::future::BoxFuture;
use utmost_model::command::{
    AutocompleteArg, AutocompleteData, AutocompleteListItem, AutocompleteSuggestion, Command,
    ARG_DYNAMIC_LIST, ARG_STATIC_LIST, ARG_TEXT,
};
use utmost_model::roles::{SYSTEM_ADMIN, SYSTEM_USER};

/// `CmdCustomStatusTrigger`: hidden while custom statuses are off.
const CUSTOM_STATUS_TRIGGER: &str = "status";
/// What a dynamic list's answer may weigh.
const MAX_LIST_BODY: usize = 1024 * 1024;

/// The commands providers offer in `team_id`: the registered ones (all of them, or with
/// `autocomplete_only` those listed in autocomplete), then the built-ins.
pub fn provided(app: &App, team_id: &str, autocomplete_only: bool) -> Vec<Command> {
    let mut commands: Vec<Command> = Vec::new();
    let registered = app.commands.providers().into_iter().flat_map(|p| {
        p.commands(team_id)
            .into_iter()
            .map(move |c| c.to_command(p.owner_id()))
    });
    for c in registered.chain(builtins::commands().into_iter().map(|c| c.to_command(""))) {
        if (c.auto_complete || !autocomplete_only)
            && !commands.iter().any(|o| o.trigger == c.trigger)
        {
            commands.push(c);
        }
    }
    commands
}

/// `GET /teams/{team_id}/commands/autocomplete`: every command listed in autocomplete,
/// custom ones sanitized, each trigger once (a provider's first, then custom, then
/// built-in).
pub async fn list(app: &App, team_id: &str) -> AppResult<Vec<Command>> {
    let config = app.config();
    let mut commands = provided(app, team_id, true);
    if !config.team_settings.enable_custom_user_statuses {
        commands.retain(|c| c.trigger != CUSTOM_STATUS_TRIGGER || !c.plugin_id.is_empty());
    }
    if config.service_settings.enable_commands {
        let custom = utmost_store::commands::list_by_team(&app.store, team_id).await?;
        let mut at = commands
            .iter()
            .take_while(|c| !c.plugin_id.is_empty())
            .count();
        for mut c in custom {
            if c.auto_complete && !commands.iter().any(|o| o.trigger == c.trigger) {
                c.sanitize();
                commands.insert(at, c);
                at += 1;
            }
        }
    }
    Ok(commands)
}

/// `GET /teams/{team_id}/commands/autocomplete_suggestions`: suggestions for `user_input`
/// (without its slash) among `commands`, for a system admin or a user.
pub async fn suggestions(
    app: &App,
    call: &CommandCall,
    mut commands: Vec<Command>,
    user_input: &str,
    is_admin: bool,
) -> Vec<AutocompleteSuggestion> {
    commands.sort_by_key(|c| c.trigger.to_lowercase());
    let role = if is_admin { SYSTEM_ADMIN } else { SYSTEM_USER };
    let mut all = Vec::new();
    for c in &commands {
        let data = c.autocomplete_data.clone().unwrap_or_else(|| {
            AutocompleteData::new(&c.trigger, &c.auto_complete_hint, &c.auto_complete_desc)
        });
        let walk = Walk {
            app,
            call,
            owner: &c.plugin_id,
            role,
        };
        let found = walk
            .commands(
                std::slice::from_ref(&data),
                String::new(),
                user_input.to_string(),
            )
            .await;
        all.extend(found.into_iter().map(|mut s| {
            s.icon_data = c.autocomplete_icon_data.clone();
            s
        }));
    }
    all
}

/// Whether `s` begins with `prefix`, ignoring ASCII case: the byte length it covers.
fn prefix_len(s: &str, prefix: &str) -> Option<usize> {
    let n = prefix.len();
    (s.len() >= n && s.is_char_boundary(n) && s[..n].eq_ignore_ascii_case(prefix)).then_some(n)
}

/// (found, parsed, still to parse, suggestions), as Mattermost's parsers return.
type Parse = (bool, String, String, Vec<AutocompleteSuggestion>);

/// One walk through a command's autocomplete data.
struct Walk<'a> {
    app: &'a App,
    call: &'a CommandCall,
    /// The provider of the command ("" for custom and built-in ones).
    owner: &'a str,
    role: &'static str,
}

impl<'a> Walk<'a> {
    fn visible(&self, data: &AutocompleteData) -> bool {
        data.role_id == self.role || self.role == SYSTEM_ADMIN
    }

    /// `getSuggestions`.
    fn commands(
        &'a self,
        commands: &'a [AutocompleteData],
        parsed: String,
        to_parse: String,
    ) -> BoxFuture<'a, Vec<AutocompleteSuggestion>> {
        Box::pin(async move {
            let mut out = Vec::new();
            let Some(space) = to_parse.find(' ') else {
                let typed = to_parse.to_lowercase();
                for c in commands {
                    if c.trigger.starts_with(&typed) && self.visible(c) {
                        out.push(AutocompleteSuggestion {
                            complete: format!("{parsed}{}", c.trigger),
                            suggestion: c.trigger.clone(),
                            description: c.help_text.clone(),
                            hint: c.hint.clone(),
                            ..AutocompleteSuggestion::default()
                        });
                    }
                }
                return out;
            };
            let word = to_parse[..space].to_lowercase();
            for c in commands {
                if c.trigger != word || !self.visible(c) {
                    continue;
                }
                let rest = to_parse[space + 1..].to_string();
                let now_parsed = format!("{parsed}{}", &to_parse[..=space]);
                if c.arguments.is_empty() {
                    out.extend(self.commands(&c.sub_commands, now_parsed, rest).await);
                } else {
                    let (found, _, _, found_here) =
                        self.arguments(&c.arguments, now_parsed, rest).await;
                    if found {
                        out.extend(found_here);
                    }
                }
            }
            out
        })
    }

    /// `parseArguments`: a required argument must parse; an optional one is tried both
    /// typed and left out.
    fn arguments(
        &'a self,
        args: &'a [AutocompleteArg],
        parsed: String,
        to_parse: String,
    ) -> BoxFuture<'a, Parse> {
        Box::pin(async move {
            let Some((first, rest)) = args.split_first() else {
                return (false, parsed, to_parse, Vec::new());
            };
            if first.required {
                let (found, p, t, s) = self.argument(first, parsed, to_parse).await;
                if found {
                    return (true, p, t, s);
                }
                return self.arguments(rest, p, t).await;
            }
            let mut suggestions = Vec::new();
            let (mut with_found, mut with_p, mut with_t, with_s) =
                self.argument(first, parsed.clone(), to_parse.clone()).await;
            if with_found {
                suggestions.extend(with_s);
            } else {
                let (found, p, t, s) = self.arguments(rest, with_p, with_t).await;
                if found {
                    suggestions.extend(s);
                }
                (with_found, with_p, with_t) = (found, p, t);
            }
            let (without_found, without_p, without_t, without_s) =
                self.arguments(rest, parsed.clone(), to_parse.clone()).await;
            if without_found {
                suggestions.extend(without_s);
            }
            if with_found || without_found {
                return (
                    true,
                    format!("{parsed}{to_parse}"),
                    String::new(),
                    suggestions,
                );
            }
            if with_p != parsed && with_t != to_parse {
                return (false, with_p, with_t, suggestions);
            }
            (without_found, without_p, without_t, suggestions)
        })
    }

    /// `parseArgument`: the `--name` first, then the value by its type.
    async fn argument(&self, arg: &AutocompleteArg, parsed: String, to_parse: String) -> Parse {
        let (mut parsed, mut to_parse) = (parsed, to_parse);
        if !arg.name.is_empty() {
            let (found, p, t, s) = named(arg, &parsed, &to_parse);
            if found {
                return (true, p, t, s.into_iter().collect());
            }
            if t.is_empty() {
                return (true, p, t, Vec::new());
            }
            parsed = p;
            to_parse = if t == " " { String::new() } else { t };
        }
        let (found, p, t, s) = match arg.arg_type.as_str() {
            ARG_TEXT => {
                let (found, p, t, s) = text(arg, &parsed, &to_parse);
                (found, p, t, s.into_iter().collect())
            }
            ARG_STATIC_LIST => list_items(&arg.possible_arguments(), &parsed, &to_parse),
            ARG_DYNAMIC_LIST => match self.dynamic_items(arg, &parsed, &to_parse).await {
                Ok(items) => list_items(&items, &parsed, &to_parse),
                Err(e) => {
                    tracing::warn!(url = arg.fetch_url(), error = %e.message, "dynamic autocomplete list not fetched");
                    return (false, parsed, to_parse, Vec::new());
                }
            },
            _ => return (false, parsed, to_parse, Vec::new()),
        };
        if found {
            return (true, p, t, s);
        }
        (false, p, t, Vec::new())
    }

    /// A dynamic list's items: from its http(s) URL through the outgoing guard, or from
    /// the command's provider.
    async fn dynamic_items(
        &self,
        arg: &AutocompleteArg,
        parsed: &str,
        to_parse: &str,
    ) -> AppResult<Vec<AutocompleteListItem>> {
        let url = arg.fetch_url();
        if url.starts_with("http://") || url.starts_with("https://") {
            return fetch_list(self.app, self.call, url, parsed, to_parse).await;
        }
        match self.app.commands.owner(self.owner) {
            Some(provider) if !self.owner.is_empty() => {
                provider
                    .dynamic_list(self.app, self.call, arg, parsed, to_parse)
                    .await
            }
            _ => Ok(Vec::new()),
        }
    }
}

/// GETs a dynamic list with Mattermost's query parameters.
async fn fetch_list(
    app: &App,
    call: &CommandCall,
    url: &str,
    parsed: &str,
    to_parse: &str,
) -> AppResult<Vec<AutocompleteListItem>> {
    let mut target = url::Url::parse(url).map_err(|_| CommandError::Failed(url.into()))?;
    target
        .query_pairs_mut()
        .append_pair("user_input", &format!("{parsed}{to_parse}"))
        .append_pair("parsed", parsed)
        .append_pair("channel_id", &call.channel_id)
        .append_pair("team_id", &call.team_id)
        .append_pair("root_id", &call.root_id)
        .append_pair("user_id", call.user_id())
        .append_pair("site_url", &call.site_url);
    let request = http::Request::get(target.as_str())
        .header(http::header::ACCEPT, "application/json")
        .body(Vec::new())
        .map_err(|e| {
            utmost_model::AppError::internal("api.command.execute_command.failed.app_error", e)
        })?;
    let timeout = super::custom::timeout(app);
    let response = crate::outgoing::exchange(app, request, timeout, MAX_LIST_BODY)
        .await
        .map_err(|e| CommandError::Failed(e.to_string()))?;
    if !response.status().is_success() {
        return Err(CommandError::Failed(format!("{url} answered {}", response.status())).into());
    }
    Ok(serde_json::from_slice(response.body()).unwrap_or_default())
}

/// `parseNamedArgument`.
fn named(
    arg: &AutocompleteArg,
    parsed: &str,
    to_parse: &str,
) -> (bool, String, String, Option<AutocompleteSuggestion>) {
    let input = to_parse.strip_prefix(' ').unwrap_or(to_parse);
    let name = format!("--{}", arg.name);
    let suggest = |complete: String| AutocompleteSuggestion {
        complete,
        suggestion: name.clone(),
        description: arg.help_text.clone(),
        ..AutocompleteSuggestion::default()
    };
    let everything = format!("{parsed}{to_parse}");
    if input.is_empty() {
        return (
            true,
            everything.clone(),
            String::new(),
            Some(suggest(format!("{everything}{name} "))),
        );
    }
    if prefix_len(&name, input).is_some() {
        let completion = format!("{everything}{} ", &name[input.len()..]);
        return (true, everything, String::new(), Some(suggest(completion)));
    }
    let with_space = format!("{name} ");
    let Some(n) = prefix_len(input, &with_space) else {
        return (false, everything, String::new(), None);
    };
    let rest = &input[n..];
    if rest.is_empty() {
        return (false, format!("{parsed}{with_space}"), " ".into(), None);
    }
    (
        false,
        format!("{parsed}{with_space}"),
        rest.to_string(),
        None,
    )
}

/// `parseInputTextArgument`: a word, or a "quoted phrase".
fn text(
    arg: &AutocompleteArg,
    parsed: &str,
    to_parse: &str,
) -> (bool, String, String, Option<AutocompleteSuggestion>) {
    let input = to_parse.strip_prefix(' ').unwrap_or(to_parse);
    let everything = format!("{parsed}{to_parse}");
    let typing = || {
        (
            true,
            everything.clone(),
            String::new(),
            Some(AutocompleteSuggestion {
                complete: everything.clone(),
                hint: arg.hint().to_string(),
                description: arg.help_text.clone(),
                ..AutocompleteSuggestion::default()
            }),
        )
    };
    if input.is_empty() {
        return typing();
    }
    if let Some(quoted) = input.strip_prefix('"') {
        let Some(second) = quoted.find('"') else {
            return typing();
        };
        let mut end = second + 2;
        if input.as_bytes().get(end) == Some(&b' ') {
            end += 1;
        }
        return (
            false,
            format!("{parsed}{}", &input[..end]),
            input[end..].to_string(),
            None,
        );
    }
    match input.find(' ') {
        None => typing(),
        Some(space) => (
            false,
            format!("{parsed}{}", &input[..=space]),
            input[space + 1..].to_string(),
            None,
        ),
    }
}

/// `parseListItems`: a finished item moves on; otherwise the items the input begins.
fn list_items(items: &[AutocompleteListItem], parsed: &str, to_parse: &str) -> Parse {
    let input = to_parse.strip_prefix(' ').unwrap_or(to_parse);
    let mut longest = 0;
    for item in items {
        if prefix_len(input, &format!("{} ", item.item)).is_some() && longest < item.item.len() + 1
        {
            longest = item.item.len() + 1;
        }
    }
    if longest > 0 {
        return (
            false,
            format!("{parsed}{}", &input[..longest]),
            input[longest..].to_string(),
            Vec::new(),
        );
    }
    let suggestions = items
        .iter()
        .filter(|item| prefix_len(&item.item, input).is_some())
        .map(|item| AutocompleteSuggestion {
            complete: format!("{parsed}{}", item.item),
            suggestion: item.item.clone(),
            hint: item.hint.clone(),
            description: item.help_text.clone(),
            ..AutocompleteSuggestion::default()
        })
        .collect();
    (
        true,
        format!("{parsed}{to_parse}"),
        String::new(),
        suggestions,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn items(names: &[&str]) -> Vec<AutocompleteListItem> {
        names
            .iter()
            .map(|n| AutocompleteListItem {
                item: (*n).into(),
                ..AutocompleteListItem::default()
            })
            .collect()
    }

    #[test]
    fn a_list_suggests_the_items_the_input_begins_and_moves_past_a_typed_one() {
        let (found, _, _, s) = list_items(&items(&["create", "close", "list"]), "jira ", "c");
        assert!(found);
        let completes: Vec<_> = s.iter().map(|s| s.complete.as_str()).collect();
        assert_eq!(completes, ["jira create", "jira close"]);
        let (found, parsed, rest, _) = list_items(&items(&["create"]), "jira ", "create x");
        assert!(!found);
        assert_eq!((parsed.as_str(), rest.as_str()), ("jira create ", "x"));
    }

    #[test]
    fn a_named_argument_is_suggested_then_skipped_once_typed() {
        let arg = AutocompleteArg {
            name: "project".into(),
            arg_type: ARG_TEXT.into(),
            data: json!({"Hint": "[name]", "Pattern": ""}),
            ..AutocompleteArg::default()
        };
        let (found, _, _, s) = named(&arg, "jira create ", "--pr");
        assert!(found);
        assert_eq!(s.unwrap().complete, "jira create --project ");
        let (found, parsed, rest, _) = named(&arg, "jira create ", "--project abc");
        assert!(!found);
        assert_eq!(
            (parsed.as_str(), rest.as_str()),
            ("jira create --project ", "abc")
        );
    }

    #[test]
    fn a_quoted_text_argument_is_one_argument() {
        let arg = AutocompleteArg::default();
        let (found, parsed, rest, _) = text(&arg, "x ", "\"a b\" c");
        assert!(!found);
        assert_eq!((parsed.as_str(), rest.as_str()), ("x \"a b\" ", "c"));
    }
}
