//! One suite of store tests, run on SQLite and on PostgreSQL (`TRUCE_TEST_POSTGRES`).

use truce_server::store::{EventRow, InvitationRow, NegotiationRow, ObservationRow};
use truce_server::{SqlStore, Store, StoreError};

fn negotiation(id: &str, class: Option<&str>) -> NegotiationRow {
    NegotiationRow {
        id: id.into(),
        created_at: 1,
        title: "T".into(),
        protocol: "single_text".into(),
        disclosure: "neutral".into(),
        rounds: 3,
        seed: 7,
        case_toml: "case".into(),
        seats: "{}".into(),
        class_id: class.map(Into::into),
    }
}

fn event(seq: i64) -> EventRow {
    EventRow {
        seq,
        at: 10 + seq,
        author: "a".into(),
        kind: "engine".into(),
        body: format!("{{\"n\":{seq}}}"),
    }
}

async fn suite(store: &SqlStore, prefix: &str) {
    let id = format!("{prefix}-n1");
    // Admin token: set once, then kept; replaced only explicitly.
    let first = store.init_admin_token_hash("h1").await.expect("init");
    let again = store.init_admin_token_hash("h2").await.expect("init again");
    assert!(!again || first, "a second init never replaces the first");
    store.set_admin_token_hash("h3").await.expect("set");
    assert_eq!(store.admin_token_hash().await.expect("read").as_deref(), Some("h3"));

    let invitation = InvitationRow {
        token_sha256: format!("{prefix}-hash"),
        negotiation_id: id.clone(),
        participant: "north".into(),
        role: "party".into(),
        revoked: false,
        created_at: 1,
    };
    store
        .create(
            &negotiation(&id, Some(&format!("{prefix}-c"))),
            std::slice::from_ref(&invitation),
            &[("north".into(), "{}".into())],
            &[event(0)],
        )
        .await
        .expect("create");
    assert_eq!(
        store.negotiation(&id).await.expect("read").expect("found"),
        negotiation(&id, Some(&format!("{prefix}-c")))
    );
    assert!(store.negotiation("nope").await.expect("read").is_none());
    assert_eq!(store.class(&format!("{prefix}-c")).await.expect("class").len(), 1);
    assert_eq!(store.invitation(&invitation.token_sha256).await.expect("read"), Some(invitation.clone()));
    assert_eq!(store.invitations(&id).await.expect("read").len(), 1);

    // A failed creation stores nothing: the same id again is refused whole.
    let other = InvitationRow { token_sha256: format!("{prefix}-other"), ..invitation.clone() };
    assert!(store.create(&negotiation(&id, None), std::slice::from_ref(&other), &[], &[]).await.is_err());
    assert!(store.invitation(&other.token_sha256).await.expect("read").is_none(), "nothing half-way");

    // Preferences: the latest wins.
    assert_eq!(store.preferences(&id, "north").await.expect("read").as_deref(), Some("{}"));
    store.set_preferences(&id, "north", "{\"a\":1}", 5).await.expect("set");
    assert_eq!(store.preferences(&id, "north").await.expect("read").as_deref(), Some("{\"a\":1}"));
    assert!(store.preferences(&id, "south").await.expect("read").is_none());

    // Events: appended in order; a taken number is a conflict that writes nothing.
    store.append(&id, &[event(1), event(2)]).await.expect("append");
    let conflict = store.append(&id, &[event(3), event(2)]).await;
    assert!(matches!(conflict, Err(StoreError::Conflict)), "{conflict:?}");
    let all = store.events(&id, 0).await.expect("events");
    assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![0, 1, 2], "event 3 was not kept");
    assert_eq!(all[2], event(2));
    assert_eq!(store.events(&id, 2).await.expect("events").len(), 1);

    // Observations: appended with the event that records them, in one transaction; a taken number
    // (of either) is a conflict that writes neither.
    let observation = |seq: i64, source: Option<&str>| ObservationRow {
        seq,
        at: 20 + seq,
        author: "guarantor".into(),
        record: format!("{{\"date\":\"2031-05-0{}\"}}", seq + 1),
        source: source.map(Into::into),
    };
    let marker = |seq: i64, n: i64| EventRow {
        seq,
        at: 20 + n,
        author: "guarantor".into(),
        kind: "observation".into(),
        body: format!("{{\"observation\":{n}}}"),
    };
    assert!(store.observations(&id).await.expect("read").is_empty());
    store
        .append_observation(&id, &observation(0, Some("{\"id\":\"M1\"}")), &marker(3, 0))
        .await
        .expect("append");
    store.append_observation(&id, &observation(1, None), &marker(4, 1)).await.expect("append");
    let taken_event = store.append_observation(&id, &observation(2, None), &marker(4, 2)).await;
    assert!(matches!(taken_event, Err(StoreError::Conflict)), "{taken_event:?}");
    let taken_observation = store.append_observation(&id, &observation(1, None), &marker(5, 1)).await;
    assert!(matches!(taken_observation, Err(StoreError::Conflict)), "{taken_observation:?}");
    assert_eq!(
        store.observations(&id).await.expect("read"),
        vec![observation(0, Some("{\"id\":\"M1\"}")), observation(1, None)],
        "nothing half-way"
    );
    assert_eq!(store.events(&id, 3).await.expect("events"), vec![marker(3, 0), marker(4, 1)]);

    // Revocation.
    assert_eq!(store.revoke(&id, "north").await.expect("revoke"), 1);
    assert!(store.invitation(&invitation.token_sha256).await.expect("read").expect("kept").revoked);
    assert_eq!(store.revoke(&id, "north").await.expect("revoke"), 0);
    assert!(store.negotiation_ids().await.expect("ids").contains(&id));
}

#[tokio::test]
async fn sqlite_store() {
    let dir = tempfile::tempdir().expect("a folder");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = SqlStore::open(&url).await.expect("open");
    suite(&store, "s").await;
    store.close().await;
    // Reopening migrates nothing twice and keeps everything.
    let store = SqlStore::open(&url).await.expect("reopen");
    assert_eq!(store.events("s-n1", 0).await.expect("events").len(), 5);
    assert_eq!(
        store.observations("s-n1").await.expect("observations").len(),
        2,
        "the log survives a restart"
    );
}

#[tokio::test]
async fn postgres_store() {
    let Some(url) = super::postgres() else { return };
    let store = SqlStore::open(&url).await.expect("open PostgreSQL");
    let prefix = format!("p{}", truce_server::now_ms());
    suite(&store, &prefix).await;
}

#[tokio::test]
async fn unknown_database_urls_are_refused() {
    let e = SqlStore::open("mysql://x").await.expect_err("refused");
    assert!(e.to_string().contains("sqlite://PATH or postgres://"), "{e}");
}
