//! SAML 2.0 sign-in against a real IdP (`testkit::saml`: SimpleSAMLphp): the browser flow
//! scripted over HTTP (`GET /login/sso/saml` → the IdP's form → credentials → the
//! `SAMLResponse` posted to the ACS → the session cookie works), attribute mapping, the
//! second sign-in reusing the account, guest and admin attributes, signed requests and
//! encrypted assertions; the refusals (a tampered response, an expired assertion, a replayed
//! one, another audience, an unknown `InResponseTo`) with nothing created; the certificate,
//! metadata, migration and reset routes; and only those with the permission reaching them.

use crate::files_support::{form, send, upload_certificate, BOUNDARY};
use crate::support::{configure, id, PASSWORD};
use flate2::read::DeflateDecoder;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use serde_json::{json, Value};
use std::io::Read;
use utmost_config::Config;
use utmost_testkit::saml::{key_pair, pem_body, SamlIdp, SpRegistration, SP_ENTITY_ID};
use utmost_testkit::{dual_db_test, Client, Resp, TestServer};

/// An IdP with the server's SAML settings pointed at it, after `adjust`.
async fn idp_for(server: &TestServer, adjust: impl FnOnce(&mut Config)) -> Option<SamlIdp> {
    let idp = SamlIdp::start().await?;
    configure(server, |c| {
        idp.configure(c, &server.url);
        adjust(c);
    });
    Some(idp)
}

/// A browser: its own cookies, redirects not followed (each hop is looked at).
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

fn location(headers: &HeaderMap) -> String {
    headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// `GET /login/sso/saml?{query}`: the IdP URL the server sends the browser to.
async fn begin(browser: &reqwest::Client, server: &TestServer, query: &str) -> String {
    let r = browser
        .get(format!("{}/login/sso/saml?{query}", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302, "{}", r.text().await.unwrap_or_default());
    location(r.headers())
}

/// The AuthnRequest in an HTTP-Redirect URL (base64 of the deflated XML).
fn authn_request(idp_url: &str) -> String {
    let url = reqwest::Url::parse(idp_url).unwrap();
    let encoded = url
        .query_pairs()
        .find(|(k, _)| k == "SAMLRequest")
        .map(|(_, v)| v.into_owned())
        .expect("a SAMLRequest");
    let deflated = data_encoding::BASE64.decode(encoded.as_bytes()).unwrap();
    let mut xml = String::new();
    DeflateDecoder::new(&deflated[..])
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// The `ID` of the AuthnRequest in an HTTP-Redirect URL.
fn request_id(idp_url: &str) -> String {
    let xml = authn_request(idp_url);
    let at = xml.find(" ID=\"").expect("an ID") + 5;
    xml[at..at + xml[at..].find('"').unwrap()].to_string()
}

/// Posts a `SAMLResponse` to the ACS as the IdP's form does.
async fn post_acs(
    browser: &reqwest::Client,
    server: &TestServer,
    saml_response: &str,
    relay_state: &str,
) -> reqwest::Response {
    browser
        .post(format!("{}/login/sso/saml", server.url))
        .form(&[("SAMLResponse", saml_response), ("RelayState", relay_state)])
        .send()
        .await
        .unwrap()
}

/// The whole browser flow for `user`; the browser (with the server's cookies) and the ACS
/// answer.
async fn sign_in(
    server: &TestServer,
    idp: &SamlIdp,
    user: &str,
    password: &str,
    query: &str,
) -> (reqwest::Client, reqwest::Response) {
    let browser = browser();
    let idp_url = begin(&browser, server, query).await;
    let answer = idp
        .sign_in(&idp_url, user, password)
        .await
        .expect("the IdP answers with a SAMLResponse");
    assert_eq!(answer.action, format!("{}/login/sso/saml", server.url));
    let acs = post_acs(&browser, server, &answer.saml_response, &answer.relay_state).await;
    (browser, acs)
}

async fn me(browser: &reqwest::Client, server: &TestServer) -> (u16, Value) {
    let r = browser
        .get(format!("{}/api/v4/users/me", server.url))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

fn cookie_names(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok()?.split('=').next().map(str::to_string))
        .collect()
}

fn cookie_value(headers: &HeaderMap, name: &str) -> String {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_default()
        .to_string()
}

/// The error page's id, and the status.
async fn refusal(r: reqwest::Response) -> (u16, String, String) {
    let status = r.status().as_u16();
    let page = r.text().await.unwrap();
    let between = |open: &str| {
        page.find(open)
            .map(|at| {
                let rest = &page[at + open.len()..];
                rest[..rest.find('<').unwrap_or(0)].to_string()
            })
            .unwrap_or_default()
    };
    (
        status,
        between("<code id=\"error-id\">"),
        between("<p id=\"detail\">"),
    )
}

/// The account as stored (`auth_data` is not shown through the API).
async fn stored(server: &TestServer, user: &Value) -> utmost_model::user::User {
    utmost_store::users::get(&server.app.store, &id(user))
        .await
        .unwrap()
        .unwrap()
}

async fn user_by_email(admin: &Client, email: &str) -> Resp {
    admin.get(&format!("/users/email/{email}")).await
}

dual_db_test!(
    async fn a_user_signs_in_through_the_idp_and_comes_back_to_the_same_account(server) {
        let basic = server.init_basic().await;
        let Some(idp) = idp_for(&server, |c| c.service_settings.session_length_sso_in_hours = 3).await else { return };
        let (browser, acs) = sign_in(&server, &idp, "alice", "alice-pw", "redirect_to=%2Fbasic-team%2Fchannels%2Ftown-square").await;
        assert_eq!(acs.status(), 302);
        assert_eq!(location(acs.headers()), "/basic-team/channels/town-square");
        let cookies = cookie_names(acs.headers());
        for name in ["MMAUTHTOKEN", "MMUSERID", "MMCSRF"] {
            assert!(cookies.contains(&name.to_string()), "{cookies:?}");
        }
        let csrf = cookie_value(acs.headers(), "MMCSRF");
        let (status, alice) = me(&browser, &server).await;
        assert_eq!(status, 200, "{alice}");
        assert_eq!(alice["username"], "alice");
        assert_eq!(alice["email"], "alice@example.com");
        assert_eq!(alice["first_name"], "Alice");
        assert_eq!(alice["last_name"], "Anders");
        assert_eq!(alice["position"], "Engineer");
        assert_eq!(alice["auth_service"], "saml");
        let full = stored(&server, &alice).await;
        assert_eq!(full.auth_data, "alice");
        assert_eq!(full.password, "");
        assert!(full.email_verified);
        // A SAML session: SSO length, marked as SAML.
        let sessions = basic
            .admin
            .get(&format!("/users/{}/sessions", id(&alice)))
            .await
            .expect(200)
            .body;
        assert_eq!(sessions[0]["props"]["isSaml"], "true", "{sessions}");
        let length = sessions[0]["expires_at"].as_i64().unwrap() - sessions[0]["create_at"].as_i64().unwrap();
        assert_eq!(length, 3 * 3600 * 1000);

        // The second sign-in is the same account; nothing new is created.
        let (again, acs) = sign_in(&server, &idp, "alice", "alice-pw", "").await;
        assert_eq!(location(acs.headers()), "/");
        assert_eq!(id(&me(&again, &server).await.1), id(&alice));
        let listed = basic.admin.get("/users?per_page=200").await.expect(200).body;
        let alices = listed
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["email"] == "alice@example.com")
            .count();
        assert_eq!(alices, 1);

        // The session ends as a normal logout does (a browser sends the CSRF cookie back
        // as the header).
        let out = browser
            .post(format!("{}/api/v4/users/logout", server.url))
            .header("X-Requested-With", "XMLHttpRequest")
            .header("X-CSRF-Token", &csrf)
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), 200);
        assert_eq!(me(&browser, &server).await.0, 401);
        assert_eq!(me(&again, &server).await.0, 200);

        // A wrong password gets no response from the IdP.
        let idp_url = begin(&self::browser(), &server, "").await;
        assert!(idp.sign_in(&idp_url, "alice", "wrong").await.is_none());
    }
);

dual_db_test!(
    async fn redirects_stay_on_the_site_and_deactivated_users_are_refused(server) {
        let basic = server.init_basic().await;
        let Some(idp) = idp_for(&server, |_| {}).await else { return };
        for (to, expected) in [
            ("%2F%2Fevil.example%2Fx", "/"),
            ("https%3A%2F%2Fevil.example%2F", "/"),
            ("%2F%5Cevil.example", "/"),
            ("%2Fbasic-team", "/basic-team"),
        ] {
            let (_, acs) = sign_in(&server, &idp, "bob", "bob-pw", &format!("redirect_to={to}")).await;
            assert_eq!(location(acs.headers()), expected, "{to}");
        }
        let bob = user_by_email(&basic.admin, "bob@example.com").await.expect(200).body;
        basic.admin.delete(&format!("/users/{}", id(&bob))).await.expect(200);
        let (_, acs) = sign_in(&server, &idp, "bob", "bob-pw", "").await;
        let (status, error_id, _) = refusal(acs).await;
        assert_eq!((status, error_id.as_str()), (401, "api.user.login.inactive.app_error"));
    }
);

/// What a forged response says; each test changes one thing from `valid`.
struct Forge {
    in_response_to: String,
    audience: String,
    /// Seconds from now.
    issued: i64,
    not_on_or_after: i64,
    assertion_id: String,
    uid: String,
}

impl Forge {
    fn valid(in_response_to: &str, uid: &str) -> Forge {
        Forge {
            in_response_to: in_response_to.to_string(),
            audience: SP_ENTITY_ID.to_string(),
            issued: 0,
            not_on_or_after: 300,
            assertion_id: format!("_a{}", utmost_model::new_id()),
            uid: uid.to_string(),
        }
    }
}

fn at(offset_seconds: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::seconds(offset_seconds))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A response as the IdP would send it, signed with the IdP's key: the XML and its base64.
fn forge(idp: &SamlIdp, server: &TestServer, f: &Forge) -> (String, String) {
    let acs = format!("{}/login/sso/saml", server.url);
    let issuer = idp.entity_id();
    let email = format!("{}@example.com", f.uid);
    let xml = format!(
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" \
         xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_r{rid}\" Version=\"2.0\" \
         IssueInstant=\"{issued}\" Destination=\"{acs}\" InResponseTo=\"{irt}\">\
         <saml:Issuer>{issuer}</saml:Issuer><samlp:Status>\
         <samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status>\
         <saml:Assertion ID=\"{aid}\" Version=\"2.0\" IssueInstant=\"{issued}\">\
         <saml:Issuer>{issuer}</saml:Issuer><saml:Subject>\
         <saml:NameID Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">{email}</saml:NameID>\
         <saml:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\">\
         <saml:SubjectConfirmationData NotOnOrAfter=\"{until}\" Recipient=\"{acs}\" InResponseTo=\"{irt}\"/>\
         </saml:SubjectConfirmation></saml:Subject>\
         <saml:Conditions NotBefore=\"{before}\" NotOnOrAfter=\"{until}\"><saml:AudienceRestriction>\
         <saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>\
         <saml:AuthnStatement AuthnInstant=\"{issued}\" SessionIndex=\"_s1\"><saml:AuthnContext>\
         <saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef>\
         </saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement>\
         <saml:Attribute Name=\"uid\"><saml:AttributeValue>{uid}</saml:AttributeValue></saml:Attribute>\
         <saml:Attribute Name=\"email\"><saml:AttributeValue>{email}</saml:AttributeValue></saml:Attribute>\
         </saml:AttributeStatement></saml:Assertion></samlp:Response>",
        rid = utmost_model::new_id(),
        issued = at(f.issued),
        before = at(f.issued - 5),
        until = at(f.not_on_or_after),
        irt = f.in_response_to,
        aid = f.assertion_id,
        audience = f.audience,
        uid = f.uid,
    );
    let signed = idp.sign_assertion(&xml, &f.assertion_id);
    let encoded = data_encoding::BASE64.encode(signed.as_bytes());
    (signed, encoded)
}

/// Posts `saml_response` and expects the refusal `error_id` with `reason` in its detail,
/// and no account for `uid`.
async fn refused(
    server: &TestServer,
    admin: &Client,
    saml_response: &str,
    error_id: &str,
    reason: &str,
    uid: &str,
) {
    let b = browser();
    let r = post_acs(&b, server, saml_response, "").await;
    assert!(cookie_names(r.headers()).is_empty());
    let (status, id, detail) = refusal(r).await;
    assert_eq!((status, id.as_str()), (400, error_id), "{detail}");
    assert!(
        detail.to_lowercase().contains(reason),
        "{detail:?} lacks {reason:?}"
    );
    user_by_email(admin, &format!("{uid}@example.com"))
        .await
        .expect(404);
}

dual_db_test!(
    async fn forged_expired_replayed_misaddressed_and_unsolicited_responses_are_refused(server) {
        let basic = server.init_basic().await;
        let Some(idp) = idp_for(&server, |_| {}).await else { return };
        let request = request_id(&begin(&browser(), &server, "").await);

        // The forging is right: the same response, unchanged, signs its user in.
        let (signed, valid) = forge(&idp, &server, &Forge::valid(&request, "mallory"));
        let first = post_acs(&browser(), &server, &valid, "").await;
        assert_eq!(first.status(), 302, "{}", first.text().await.unwrap());
        user_by_email(&basic.admin, "mallory@example.com").await.expect(200);
        // Replayed: the same assertion again.
        refused(&server, &basic.admin, &valid, "ent.saml.do_login.parse.app_error", "replayed", "nobody").await;

        // Tampered after signing: another user put in the signed assertion.
        let tampered = signed.replace("mallory", "trudy");
        let tampered = data_encoding::BASE64.encode(tampered.as_bytes());
        refused(&server, &basic.admin, &tampered, "ent.saml.do_login.invalid_signature.app_error", "sign", "trudy").await;

        // Expired: issued twenty minutes ago, good until ten minutes ago.
        let expired = Forge {
            issued: -1200,
            not_on_or_after: -600,
            ..Forge::valid(&request, "oscar")
        };
        let (_, expired) = forge(&idp, &server, &expired);
        refused(&server, &basic.admin, &expired, "ent.saml.do_login.invalid_time.app_error", "expired", "oscar").await;

        // For another service provider.
        let elsewhere = Forge {
            audience: "https://other-sp.example.com".into(),
            ..Forge::valid(&request, "eve")
        };
        let (_, elsewhere) = forge(&idp, &server, &elsewhere);
        refused(&server, &basic.admin, &elsewhere, "ent.saml.do_login.parse.app_error", "audience", "eve").await;

        // Answering a request this server never sent.
        let (_, unsolicited) = forge(&idp, &server, &Forge::valid("_never-sent", "walter"));
        refused(&server, &basic.admin, &unsolicited, "ent.saml.do_login.parse.app_error", "inresponseto", "walter").await;

        // Not signed at all, and a response that is not SAML.
        refused(&server, &basic.admin, &data_encoding::BASE64.encode(b"<x/>"), "ent.saml.do_login.invalid_signature.app_error", "", "nobody").await;
        let b = browser();
        let (status, id, _) = refusal(post_acs(&b, &server, "", "").await).await;
        assert_eq!((status, id.as_str()), (400, "ent.saml.do_login.empty_response.app_error"));
    }
);

dual_db_test!(
    async fn a_second_server_over_the_same_database_refuses_a_replayed_response(server) {
        // The replay is refused by what the database keeps, not by one process's memory:
        // another server over the same database (a second node, or this one restarted)
        // refuses the real IdP's response the first one accepted.
        let basic = server.init_basic().await;
        let Some(idp) = idp_for(&server, |_| {}).await else { return };
        let b = browser();
        let idp_url = begin(&b, &server, "").await;
        let answer = idp.sign_in(&idp_url, "alice", "alice-pw").await.unwrap();
        let ok = post_acs(&b, &server, &answer.saml_response, &answer.relay_state).await;
        assert_eq!(ok.status(), 302);
        let database = server.app.config().sql_settings.data_source.clone();
        let second = TestServer::start_with(server.kind, |c| {
            c.sql_settings.data_source = database;
            idp.configure(c, &server.url);
        })
        .await;
        let again = post_acs(&browser(), &second, &answer.saml_response, &answer.relay_state).await;
        let (status, id, detail) = refusal(again).await;
        assert_eq!((status, id.as_str()), (400, "ent.saml.do_login.parse.app_error"), "{detail}");
        assert!(detail.contains("replayed"), "{detail}");
        assert_eq!(user_by_email(&basic.admin, "alice@example.com").await.status, 200);
    }
);

/// `POST /saml/certificate/{kind}` with `pem` as the multipart `certificate`.
pub(crate) async fn upload(client: &Client, kind: &str, pem: &[u8]) -> Resp {
    upload_certificate(client, &format!("/saml/certificate/{kind}"), pem).await
}

dual_db_test!(
    async fn certificates_are_uploaded_listed_and_removed_beside_the_config(server) {
        let basic = server.init_basic().await;
        let status = basic.admin.get("/saml/certificate/status").await.expect(200).body;
        assert_eq!(
            status,
            json!({"idp_certificate_file": false, "private_key_file": false, "public_certificate_file": false})
        );
        let dir = std::env::temp_dir().join(format!("utmost-saml-keys-{}", utmost_model::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (key, crt) = key_pair(&dir, "sp");
        let (key, crt) = (std::fs::read(key).unwrap(), std::fs::read(crt).unwrap());
        upload(&basic.admin, "public", &crt).await.expect(200);
        upload(&basic.admin, "private", &key).await.expect(200);
        upload(&basic.admin, "idp", &crt).await.expect(200);
        // Not a certificate; no file part at all.
        upload(&basic.admin, "public", b"not a certificate")
            .await
            .expect_error(400, "api.admin.saml.failure_parse_idp_certificate.app_error");
        let multipart = format!("multipart/form-data; boundary={BOUNDARY}");
        let empty = send(&basic.admin, "/saml/certificate/private", &multipart, form(&[], &[])).await;
        empty.expect_error(400, "api.admin.add_certificate.no_file.app_error");
        let status = basic.admin.get("/saml/certificate/status").await.expect(200).body;
        assert_eq!(
            status,
            json!({"idp_certificate_file": true, "private_key_file": true, "public_certificate_file": true})
        );
        // Under Mattermost's names, in the config's directory.
        let files = server.app.config().files_dir();
        assert_eq!(std::fs::read(files.join("saml-public.crt")).unwrap(), crt);
        assert_eq!(std::fs::read(files.join("saml-private.key")).unwrap(), key);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(files.join("saml-private.key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "the private key is readable by others: {mode:o}");
        }
        // The IdP certificate as the system console sends it from the IdP's metadata.
        let bare = basic
            .admin
            .http
            .post(format!("{}/api/v4/saml/certificate/idp", server.url))
            .bearer_auth(basic.admin.token.as_deref().unwrap())
            .header("Content-Type", "application/x-pem-file")
            .body(pem_body(&String::from_utf8(crt.clone()).unwrap()))
            .send()
            .await
            .unwrap();
        Client::read(bare).await.expect(200);
        for kind in ["idp", "public", "private"] {
            basic.admin.delete(&format!("/saml/certificate/{kind}")).await.expect(200);
        }
        let status = basic.admin.get("/saml/certificate/status").await.expect(200).body;
        assert_eq!(status["private_key_file"], false);
        assert!(!files.join("saml-private.key").exists());
        let _ = std::fs::remove_dir_all(dir);
    }
);

dual_db_test!(
    async fn the_sp_metadata_and_the_idps_metadata_are_read(server) {
        let basic = server.init_basic().await;
        // Without an SP identifier there is nothing to describe.
        server
            .client()
            .get("/saml/metadata")
            .await
            .expect_error(500, "api.admin.saml.metadata.app_error");
        let Some(idp) = idp_for(&server, |c| c.saml_settings.encrypt = true).await else { return };
        let dir = std::env::temp_dir().join(format!("utmost-saml-keys-{}", utmost_model::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (_, crt) = key_pair(&dir, "sp");
        let crt = std::fs::read_to_string(crt).unwrap();
        upload(&basic.admin, "public", crt.as_bytes()).await.expect(200);
        // Public: the IdP's administrator downloads it.
        let r = server
            .client()
            .http
            .get(format!("{}/api/v4/saml/metadata", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/xml");
        let xml = r.text().await.unwrap();
        assert!(xml.contains(&format!("entityID=\"{SP_ENTITY_ID}\"")), "{xml}");
        assert!(xml.contains(&format!("Location=\"{}/login/sso/saml\"", server.url)), "{xml}");
        assert!(xml.contains("use=\"encryption\""), "{xml}");
        assert!(xml.contains(&pem_body(&crt)), "{xml}");

        // The IdP's metadata comes through the SSRF guard: 127.0.0.1 is refused until the
        // administrator allows it.
        let body = json!({"saml_metadata_url": idp.entity_id()});
        basic
            .admin
            .post("/saml/metadatafromidp", body.clone())
            .await
            .expect_error(400, "api.admin.saml.failure_get_metadata_from_idp.app_error");
        configure(&server, |c| {
            c.service_settings.allowed_untrusted_internal_connections = "127.0.0.1".into();
        });
        let read = basic.admin.post("/saml/metadatafromidp", body).await.expect(200).body;
        assert_eq!(read["idp_url"], idp.sso_url());
        assert_eq!(read["idp_descriptor_url"], idp.entity_id());
        assert_eq!(read["idp_public_certificate"], pem_body(&idp.certificate_pem()));
        basic
            .admin
            .post("/saml/metadatafromidp", json!({}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        let _ = std::fs::remove_dir_all(dir);
    }
);

dual_db_test!(
    async fn only_admins_reach_the_saml_routes(server) {
        let basic = server.init_basic().await;
        let forbidden = "api.context.permissions.app_error";
        for (method, path, body) in [
            ("POST", "/saml/metadatafromidp", json!({"saml_metadata_url": "https://idp.example.com/metadata"})),
            ("POST", "/saml/certificate/idp", json!({})),
            ("POST", "/saml/certificate/public", json!({})),
            ("POST", "/saml/certificate/private", json!({})),
            ("DELETE", "/saml/certificate/idp", Value::Null),
            ("DELETE", "/saml/certificate/public", Value::Null),
            ("DELETE", "/saml/certificate/private", Value::Null),
            ("GET", "/saml/certificate/status", Value::Null),
            ("POST", "/saml/reset_auth_data", json!({})),
            ("POST", "/users/migrate_auth/saml", json!({"from": "email", "matches": {}, "auto": true})),
        ] {
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let body = (!body.is_null()).then_some(&body);
            basic.client.request(method.clone(), path, body).await.expect_error(403, forbidden);
            server.client().request(method, path, body).await.expect(401);
        }
        // Nothing was written: no certificate, the user still signs in with a password.
        let status = basic.admin.get("/saml/certificate/status").await.expect(200).body;
        assert_eq!(status["idp_certificate_file"], false);
        let me = basic.admin.get(&format!("/users/{}", basic.user_id())).await.expect(200).body;
        assert_eq!(me["auth_service"], "");
        // With SAML off, sign-in is not available.
        let r = browser().get(format!("{}/login/sso/saml", server.url)).send().await.unwrap();
        let (status, id, _) = refusal(r).await;
        assert_eq!((status, id.as_str()), (501, "api.user.saml.not_available.app_error"));
    }
);

dual_db_test!(
    async fn password_accounts_move_to_saml_and_back_to_their_email(server) {
        let basic = server.init_basic().await;
        let Some(idp) = idp_for(&server, |_| {}).await else { return };
        let bob = basic
            .admin
            .post("/users", json!({"username": "bob", "email": "bob@example.com", "password": PASSWORD}))
            .await
            .expect(201)
            .body;
        // An account of another sign-in method is not taken over by a SAML sign-in.
        let (_, acs) = sign_in(&server, &idp, "bob", "bob-pw", "").await;
        let (status, error_id, _) = refusal(acs).await;
        assert_eq!(
            (status, error_id.as_str()),
            (400, "ent.saml.save_user.email_exists.saml_app_error")
        );
        basic
            .admin
            .post("/users/migrate_auth/saml", json!({"from": "email", "matches": {"bob@example.com": "bob"}, "auto": false}))
            .await
            .expect(200);
        let moved = stored(&server, &bob).await;
        assert_eq!((moved.auth_service.as_str(), moved.auth_data.as_str()), ("saml", "bob"));
        // The others stayed: the basic users still sign in with their passwords.
        server.client().login("basicuser", PASSWORD).await;
        let (browser, acs) = sign_in(&server, &idp, "bob", "bob-pw", "").await;
        assert_eq!(acs.status(), 302);
        assert_eq!(id(&me(&browser, &server).await.1), id(&bob));

        // Reset to the email: counted on a dry run, then done; the next sign-in binds the
        // account to the IdP's id again.
        let dry = basic
            .admin
            .post("/saml/reset_auth_data", json!({"dry_run": true}))
            .await
            .expect(200)
            .body;
        assert_eq!(dry["num_affected"], 1);
        let reset = basic.admin.post("/saml/reset_auth_data", json!({})).await.expect(200).body;
        assert_eq!(reset["num_affected"], 1);
        assert_eq!(stored(&server, &bob).await.auth_data, "bob@example.com");
        let (browser, _) = sign_in(&server, &idp, "bob", "bob-pw", "").await;
        assert_eq!(id(&me(&browser, &server).await.1), id(&bob));
        assert_eq!(stored(&server, &bob).await.auth_data, "bob");
        basic
            .admin
            .post("/users/migrate_auth/saml", json!({"from": "nowhere", "matches": {}, "auto": true}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
    }
);

dual_db_test!(
    async fn guest_and_admin_attributes_give_their_roles(server) {
        let _basic = server.init_basic().await;
        let Some(idp) = idp_for(&server, |c| {
            c.guest_accounts_settings.enable = true;
            c.saml_settings.guest_attribute = "groups=guests".into();
            c.saml_settings.enable_admin_attribute = true;
            c.saml_settings.admin_attribute = "groups=admins".into();
        })
        .await
        else {
            return;
        };
        let (gus, _) = sign_in(&server, &idp, "gus", "gus-pw", "").await;
        assert_eq!(me(&gus, &server).await.1["roles"], "system_guest");
        let (ada, _) = sign_in(&server, &idp, "ada", "ada-pw", "").await;
        assert_eq!(me(&ada, &server).await.1["roles"], "system_user system_admin");
        let (alice, _) = sign_in(&server, &idp, "alice", "alice-pw", "").await;
        assert_eq!(me(&alice, &server).await.1["roles"], "system_user");
        // With guest accounts off, a guest cannot sign in.
        configure(&server, |c| c.guest_accounts_settings.enable = false);
        let (_, acs) = sign_in(&server, &idp, "gus", "gus-pw", "").await;
        let (status, error_id, _) = refusal(acs).await;
        assert_eq!((status, error_id.as_str()), (401, "api.user.login.guest_accounts.disabled.error"));
    }
);

dual_db_test!(
    async fn signed_requests_and_encrypted_assertions(server) {
        let basic = server.init_basic().await;
        let Some(idp) = idp_for(&server, |c| {
            c.saml_settings.encrypt = true;
            c.saml_settings.sign_request = true;
        })
        .await
        else {
            return;
        };
        let dir = std::env::temp_dir().join(format!("utmost-saml-keys-{}", utmost_model::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (key, crt) = key_pair(&dir, "sp");
        let (key, crt) = (std::fs::read(key).unwrap(), std::fs::read_to_string(crt).unwrap());
        upload(&basic.admin, "private", &key).await.expect(200);
        upload(&basic.admin, "public", crt.as_bytes()).await.expect(200);
        idp.register_sp(&SpRegistration {
            acs_url: format!("{}/login/sso/saml", server.url),
            encrypt_to: Some(crt.clone()),
            requests_signed_by: Some(crt),
        });
        let b = browser();
        let idp_url = begin(&b, &server, "").await;
        assert!(idp_url.contains("Signature="), "{idp_url}");
        let answer = idp.sign_in(&idp_url, "alice", "alice-pw").await.expect("a response");
        let xml = String::from_utf8(data_encoding::BASE64.decode(answer.saml_response.as_bytes()).unwrap()).unwrap();
        assert!(xml.contains("EncryptedAssertion"), "the IdP encrypted nothing");
        let acs = post_acs(&b, &server, &answer.saml_response, &answer.relay_state).await;
        assert_eq!(acs.status(), 302, "{}", acs.text().await.unwrap());
        assert_eq!(me(&b, &server).await.1["username"], "alice");

        // With Encrypt on, an assertion in the clear is refused.
        idp.register_sp(&SpRegistration {
            acs_url: format!("{}/login/sso/saml", server.url),
            ..SpRegistration::default()
        });
        configure(&server, |c| c.saml_settings.sign_request = false);
        let (_, acs) = sign_in(&server, &idp, "alice", "alice-pw", "").await;
        let (status, error_id, _) = refusal(acs).await;
        assert_eq!((status, error_id.as_str()), (400, "ent.saml.configure.not_encrypted_response.app_error"));
        let _ = std::fs::remove_dir_all(dir);
    }
);

dual_db_test!(
    async fn saml_accounts_follow_the_directory_when_synced_with_ldap(server) {
        let basic = server.init_basic().await;
        let Some(idp) = idp_for(&server, |_| {}).await else { return };
        let Some(ldap) = utmost_testkit::ldap::LdapServer::start().await else { return };
        configure(&server, |c| {
            ldap.configure(c);
            // Directory sign-in off: only the sync of SAML accounts is asked for.
            c.ldap_settings.enable = false;
            c.saml_settings.enable_sync_with_ldap = true;
        });
        let (alice_browser, acs) = sign_in(&server, &idp, "alice", "alice-pw", "").await;
        assert_eq!(acs.status(), 302);
        let (_, alice) = me(&alice_browser, &server).await;
        let (bob_browser, _) = sign_in(&server, &idp, "bob", "bob-pw", "").await;
        let (_, bob) = me(&bob_browser, &server).await;
        assert_eq!(alice["last_name"], "Anders");

        // The directory changes alice's surname and loses bob.
        ldap.replace("alice", "sn", "Archer");
        ldap.delete_person("bob");
        let done = crate::ldap::sync(&basic.admin).await;
        let alice_now = basic.admin.get(&format!("/users/{}", id(&alice))).await.expect(200).body;
        assert_eq!(alice_now["last_name"], "Archer", "{done}");
        assert_eq!(alice_now["auth_service"], "saml");
        assert_eq!(stored(&server, &alice).await.auth_data, "alice", "the SAML id stays");
        let bob_now = basic.admin.get(&format!("/users/{}", id(&bob))).await.expect(200).body;
        assert!(bob_now["delete_at"].as_i64().unwrap() > 0, "bob left the directory: {bob_now}");
        assert_eq!(me(&bob_browser, &server).await.0, 401, "bob's session ended");

        // Without EnableSyncWithLdap a sync leaves SAML accounts alone.
        configure(&server, |c| c.saml_settings.enable_sync_with_ldap = false);
        ldap.replace("alice", "sn", "Abbott");
        crate::ldap::sync(&basic.admin).await;
        let alice_now = basic.admin.get(&format!("/users/{}", id(&alice))).await.expect(200).body;
        assert_eq!(alice_now["last_name"], "Archer");
    }
);
