//! The storage adapter against a real directory (and memory): what is written where, what is
//! refused, and how configuration picks a backend. S3 is only built here, never contacted: no
//! S3-compatible service runs on the test machine.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use memberdesk_attachments::{ObjectStorage, StorageLocation, StorageSetupError};
use memberdesk_domain::StorageError;
use memberdesk_domain::attachment::new_storage_key;
use memberdesk_domain::ports::AttachmentStorage;
use std::path::{Path, PathBuf};

/// Every file under `dir`, relative to it.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().to_owned());
            }
        }
    }
    found.sort();
    found
}

#[tokio::test]
async fn put_get_delete_in_a_directory() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("attachments");
    let storage = ObjectStorage::local(&dir).unwrap();
    assert!(dir.is_dir(), "the directory is created");

    let key = new_storage_key();
    storage.put(&key, b"%PDF-1.7 hello".to_vec()).await.unwrap();
    assert_eq!(files_under(&dir), vec![PathBuf::from(&key)], "one file, named by the key");
    assert_eq!(std::fs::read(dir.join(&key)).unwrap(), b"%PDF-1.7 hello");
    assert_eq!(storage.get(&key).await.unwrap(), b"%PDF-1.7 hello");

    storage.put(&key, b"replaced".to_vec()).await.unwrap();
    assert_eq!(storage.get(&key).await.unwrap(), b"replaced");

    storage.delete(&key).await.unwrap();
    assert!(files_under(&dir).is_empty());
    assert_eq!(storage.get(&key).await, Err(StorageError::NotFound(key.clone())));
    storage.delete(&key).await.unwrap();
}

#[tokio::test]
async fn keys_that_are_not_the_servers_are_refused_and_write_nothing() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("store");
    let storage = ObjectStorage::local(&dir).unwrap();
    let hostile = [
        "../escaped",
        "../../etc/passwd",
        "/etc/passwd",
        "a/b",
        "a\\b",
        "..",
        ".",
        "",
        "name.txt",
        "with space",
        "nul\0byte",
        "%2e%2e%2fescaped",
    ];
    for key in hostile {
        assert_eq!(storage.put(key, b"x".to_vec()).await, Err(StorageError::InvalidKey(key.to_owned())), "{key:?}");
        assert_eq!(storage.get(key).await, Err(StorageError::InvalidKey(key.to_owned())), "{key:?}");
        assert_eq!(storage.delete(key).await, Err(StorageError::InvalidKey(key.to_owned())), "{key:?}");
    }
    assert!(files_under(&dir).is_empty());
    assert_eq!(files_under(root.path()), Vec::<PathBuf>::new(), "nothing beside the directory either");
}

#[tokio::test]
async fn memory_storage_round_trips() {
    let storage = ObjectStorage::in_memory();
    let key = new_storage_key();
    assert!(matches!(storage.get(&key).await, Err(StorageError::NotFound(_))));
    storage.put(&key, vec![0, 159, 146, 150]).await.unwrap();
    assert_eq!(storage.get(&key).await.unwrap(), vec![0, 159, 146, 150]);
    storage.delete(&key).await.unwrap();
    assert!(matches!(storage.get(&key).await, Err(StorageError::NotFound(_))));
}

#[test]
fn locations_are_read_from_configuration() {
    assert_eq!(
        StorageLocation::parse("s3://member-files/desk/attachments/").unwrap(),
        StorageLocation::S3 { bucket: "member-files".into(), prefix: "desk/attachments".into() }
    );
    assert_eq!(
        StorageLocation::parse("s3://member-files").unwrap(),
        StorageLocation::S3 { bucket: "member-files".into(), prefix: String::new() }
    );
    assert_eq!(
        StorageLocation::parse("file:///var/lib/desk").unwrap(),
        StorageLocation::Directory("/var/lib/desk".into())
    );
    assert_eq!(StorageLocation::parse("./files").unwrap(), StorageLocation::Directory("./files".into()));
    assert_eq!(StorageLocation::parse("memory:").unwrap(), StorageLocation::Memory);
    for bad in ["s3://", "s3://Upper/x", "gs://bucket", "file://relative", "", "http://x/y"] {
        assert!(matches!(StorageLocation::parse(bad), Err(StorageSetupError::UnsupportedUrl(_))), "{bad}");
    }
}

/// The S3 code path is built from configuration (no request is made).
#[test]
fn an_s3_location_builds_an_s3_store() {
    let location = StorageLocation::parse("s3://member-files/desk").unwrap();
    let storage = ObjectStorage::from_location(&location).unwrap();
    assert_eq!(storage.location(), "s3://member-files/desk");
}

#[test]
fn a_directory_that_cannot_be_made_is_a_clear_error() {
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("a-file");
    std::fs::write(&file, b"not a directory").unwrap();
    let error = ObjectStorage::local(file.join("attachments")).unwrap_err().to_string();
    assert!(error.contains("a-file") && !error.contains('\n'), "{error}");
}
