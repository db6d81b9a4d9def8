//! `GET /system/doctor`: the rollout checklist for the System Console, on the configuration
//! in force (a setting saved a moment ago shows), for those who manage the system only.

use crate::support::configure;
use serde_json::Value;
use utmost_testkit::dual_db_test;

/// The finding of `code` in a report, if any.
fn finding<'a>(report: &'a Value, code: &str) -> Option<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code)
}

dual_db_test!(
    async fn the_checklist_reads_the_configuration_in_force(server) {
        let b = server.init_basic().await;
        let report = b.admin.get("/system/doctor").await.expect(200).body;
        assert!(finding(&report, "SIGN_UP_CLOSED").is_some(), "{report:#}");
        assert!(finding(&report, "DB_OK").is_some(), "{report:#}");
        let files = finding(&report, "FILES_OK").unwrap();
        assert_eq!(files["verdict"], "pass");
        assert_eq!(files["check"], "File store");
        assert_eq!(files["fix"], "");

        configure(&server, |c| c.team_settings.enable_open_server = true);
        let report = b.admin.get("/system/doctor").await.expect(200).body;
        let open = finding(&report, "SIGN_UP_OPEN").unwrap();
        assert_eq!(open["verdict"], "fail");
        assert!(open["fix"].as_str().unwrap().contains("EnableOpenServer"), "{open}");
    }
);

dual_db_test!(
    async fn outsiders_get_no_checklist(server) {
        let b = server.init_basic().await;
        b.client
            .get("/system/doctor")
            .await
            .expect_error(403, "api.context.permissions.app_error");
        server.client().get("/system/doctor").await.expect(401);
    }
);
