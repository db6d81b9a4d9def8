//! `store::jobs` (`job_store_test.go`): pages newest first, filtered by type and status, and
//! status changes that only happen from the status they expect.

use crate::support::*;
use std::collections::BTreeMap;
use utmost_model::job::{self, Job};
use utmost_store::jobs;
use utmost_store::Store;

on_both_databases!(
    jobs_are_listed_by_type_and_status_newest_first,
    status_changes_are_compare_and_set
);

fn job(job_type: &str, status: &str, create_at: i64) -> Job {
    Job {
        id: utmost_model::new_id(),
        job_type: job_type.into(),
        create_at,
        status: status.into(),
        data: BTreeMap::from([("k".to_string(), "v".to_string())]),
        ..Job::default()
    }
}

async fn jobs_are_listed_by_type_and_status_newest_first(s: &Store) {
    let old = job(job::TYPE_BLEVE_POST_INDEXING, job::STATUS_SUCCESS, 1);
    let new = job(job::TYPE_BLEVE_POST_INDEXING, job::STATUS_PENDING, 3);
    let other = job(job::TYPE_DATA_RETENTION, job::STATUS_PENDING, 2);
    for j in [&old, &new, &other] {
        jobs::insert(s, j).await.unwrap();
    }
    assert_eq!(jobs::get(s, &old.id).await.unwrap(), Some(old.clone()));
    assert_eq!(jobs::get(s, &utmost_model::new_id()).await.unwrap(), None);
    let bleve = [job::TYPE_BLEVE_POST_INDEXING];
    let ids = |list: Vec<Job>| list.into_iter().map(|j| j.id).collect::<Vec<_>>();
    assert_eq!(
        ids(jobs::list(s, &bleve, None, 0, 10).await.unwrap()),
        [new.id.clone(), old.id.clone()]
    );
    assert_eq!(
        ids(jobs::list(s, &bleve, None, 1, 1).await.unwrap()),
        std::slice::from_ref(&old.id)
    );
    let both = [job::TYPE_BLEVE_POST_INDEXING, job::TYPE_DATA_RETENTION];
    let pending = jobs::list(s, &both, Some(job::STATUS_PENDING), 0, 10)
        .await
        .unwrap();
    assert_eq!(ids(pending), [new.id.clone(), other.id.clone()]);
    assert!(jobs::list(s, &[], None, 0, 10).await.unwrap().is_empty());
}

async fn status_changes_are_compare_and_set(s: &Store) {
    let first = job(job::TYPE_BLEVE_POST_INDEXING, job::STATUS_PENDING, 1);
    let second = job(job::TYPE_BLEVE_POST_INDEXING, job::STATUS_PENDING, 2);
    jobs::insert(s, &first).await.unwrap();
    jobs::insert(s, &second).await.unwrap();

    // The oldest pending job is claimed, once.
    let claimed = jobs::claim_pending(s, job::TYPE_BLEVE_POST_INDEXING, 50)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.id, first.id);
    assert_eq!(
        (claimed.status.as_str(), claimed.start_at),
        (job::STATUS_IN_PROGRESS, 50)
    );
    assert!(jobs::set_progress(s, &first.id, 40, 60).await.unwrap());

    // A cancellation asked for stops progress reports; the worker then ends the job.
    assert!(jobs::update_status_if(
        s,
        &first.id,
        job::STATUS_IN_PROGRESS,
        job::STATUS_CANCEL_REQUESTED,
        70
    )
    .await
    .unwrap());
    assert!(!jobs::set_progress(s, &first.id, 50, 80).await.unwrap());
    assert!(
        !jobs::update_status_if(s, &first.id, job::STATUS_PENDING, job::STATUS_CANCELED, 80)
            .await
            .unwrap()
    );
    let mut ended = jobs::get(s, &first.id).await.unwrap().unwrap();
    assert_eq!((ended.progress, ended.last_activity_at), (40, 70));
    ended.data.insert("error".into(), "stopped".into());
    assert!(
        !jobs::finish(s, &ended, job::STATUS_IN_PROGRESS, job::STATUS_CANCELED, 90)
            .await
            .unwrap()
    );
    assert!(jobs::finish(
        s,
        &ended,
        job::STATUS_CANCEL_REQUESTED,
        job::STATUS_CANCELED,
        90
    )
    .await
    .unwrap());
    let canceled = jobs::get(s, &first.id).await.unwrap().unwrap();
    assert_eq!(canceled.status, job::STATUS_CANCELED);
    assert_eq!(canceled.data["error"], "stopped");

    let next = jobs::claim_pending(s, job::TYPE_BLEVE_POST_INDEXING, 100)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.id, second.id);
    assert!(jobs::claim_pending(s, job::TYPE_BLEVE_POST_INDEXING, 110)
        .await
        .unwrap()
        .is_none());
}
