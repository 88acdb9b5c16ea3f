//! memberdesk's attachment storage: the domain's [`AttachmentStorage`] port on the
//! [`object_store`] crate.
//!
//! - **A local directory** (the default): [`ObjectStorage::local`]. Each file is one file in
//!   the directory, named by its storage key; writes go to a temporary file that is renamed into
//!   place (all or nothing) and are fsynced.
//! - **An S3-compatible bucket**: [`ObjectStorage::s3`] with `s3://bucket/prefix`, configured by
//!   the standard `AWS_*` environment variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//!   `AWS_REGION`, `AWS_ENDPOINT` for MinIO and other S3-compatible services,
//!   `AWS_ALLOW_HTTP=true` for a plain-HTTP endpoint, …), read by object_store's
//!   `AmazonS3Builder::from_env`.
//! - **Memory**: [`ObjectStorage::in_memory`], for tests and demos.
//!
//! [`ObjectStorage::from_location`] picks one from configuration.
//!
//! Keys are refused unless they are what the server makes (1–128 ASCII letters, digits, `-`,
//! `_`; see [`memberdesk_domain::attachment::is_valid_storage_key`]): no separator, no dot, so
//! no key can name anything outside the directory or prefix, whatever a caller passes.
//! Failures are translated into [`StorageError`]: a missing object is `NotFound`, a remote
//! store that cannot be reached is `Unavailable`, the rest `Other`. A deletion that fails is
//! logged here (the domain deletes on a best-effort basis and does not log).

use async_trait::async_trait;
use memberdesk_domain::StorageError;
use memberdesk_domain::attachment::is_valid_storage_key;
use memberdesk_domain::ports::AttachmentStorage;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where attachments are kept, as configuration names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageLocation {
    /// A local directory (created if missing).
    Directory(PathBuf),
    /// An S3-compatible bucket, and a prefix inside it (may be empty).
    S3 { bucket: String, prefix: String },
    /// Process memory: lost on exit.
    Memory,
}

impl StorageLocation {
    /// Reads `MEMBERDESK_ATTACHMENTS_URL`-style values: `s3://bucket[/prefix]`,
    /// `file:///absolute/dir`, `memory:`. A value with no scheme is a directory path.
    pub fn parse(value: &str) -> Result<StorageLocation, StorageSetupError> {
        let unsupported = || StorageSetupError::UnsupportedUrl(value.to_owned());
        if let Some(rest) = value.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            let bucket_ok = !bucket.is_empty()
                && bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
            if !bucket_ok {
                return Err(unsupported());
            }
            return Ok(StorageLocation::S3 { bucket: bucket.to_owned(), prefix: prefix.trim_matches('/').to_owned() });
        }
        if let Some(path) = value.strip_prefix("file://") {
            return if path.starts_with('/') {
                Ok(StorageLocation::Directory(path.into()))
            } else {
                Err(unsupported())
            };
        }
        if value == "memory:" {
            return Ok(StorageLocation::Memory);
        }
        if value.is_empty() || value.contains("://") {
            return Err(unsupported());
        }
        Ok(StorageLocation::Directory(value.into()))
    }
}

impl fmt::Display for StorageLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageLocation::Directory(dir) => write!(f, "directory {}", dir.display()),
            StorageLocation::S3 { bucket, prefix } if prefix.is_empty() => write!(f, "s3://{bucket}"),
            StorageLocation::S3 { bucket, prefix } => write!(f, "s3://{bucket}/{prefix}"),
            StorageLocation::Memory => f.write_str("memory"),
        }
    }
}

/// Why attachment storage could not be set up. One line, no secrets.
#[derive(Debug, thiserror::Error)]
pub enum StorageSetupError {
    #[error(
        "unsupported attachments location `{0}`; use a directory path, file:///absolute/path, or s3://bucket/prefix"
    )]
    UnsupportedUrl(String),
    #[error("cannot use {dir} for attachments: {reason}")]
    Directory { dir: String, reason: String },
    #[error("cannot configure S3 attachment storage for bucket {bucket}: {reason}")]
    S3 { bucket: String, reason: String },
}

/// The [`AttachmentStorage`] adapter over any `object_store` backend.
#[derive(Clone)]
pub struct ObjectStorage {
    store: Arc<dyn ObjectStore>,
    /// Remote stores report connection trouble as `Unavailable`; a local one never is.
    remote: bool,
    location: String,
}

impl fmt::Debug for ObjectStorage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectStorage").field("location", &self.location).finish_non_exhaustive()
    }
}

impl ObjectStorage {
    /// Builds the storage a location names.
    pub fn from_location(location: &StorageLocation) -> Result<ObjectStorage, StorageSetupError> {
        match location {
            StorageLocation::Directory(dir) => ObjectStorage::local(dir),
            StorageLocation::S3 { bucket, prefix } => ObjectStorage::s3(bucket, prefix),
            StorageLocation::Memory => Ok(ObjectStorage::in_memory()),
        }
    }

    /// Files in a local directory, created if missing (with its parents).
    pub fn local(dir: impl AsRef<Path>) -> Result<ObjectStorage, StorageSetupError> {
        let dir = dir.as_ref();
        let failed = |reason: String| StorageSetupError::Directory { dir: dir.display().to_string(), reason };
        std::fs::create_dir_all(dir).map_err(|e| failed(e.to_string()))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| failed(one_line(&e.to_string())))?
            .with_fsync(true);
        Ok(ObjectStorage { store: Arc::new(store), remote: false, location: format!("directory {}", dir.display()) })
    }

    /// An S3-compatible bucket, keys under `prefix`; credentials, region and endpoint from the
    /// `AWS_*` environment variables. Nothing is contacted until the first request.
    pub fn s3(bucket: &str, prefix: &str) -> Result<ObjectStorage, StorageSetupError> {
        let store = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()
            .map_err(|e| StorageSetupError::S3 { bucket: bucket.to_owned(), reason: one_line(&e.to_string()) })?;
        let (store, location): (Arc<dyn ObjectStore>, String) = if prefix.is_empty() {
            (Arc::new(store), format!("s3://{bucket}"))
        } else {
            (Arc::new(object_store::prefix::PrefixStore::new(store, prefix)), format!("s3://{bucket}/{prefix}"))
        };
        Ok(ObjectStorage { store, remote: true, location })
    }

    /// In process memory, for tests and demos.
    pub fn in_memory() -> ObjectStorage {
        ObjectStorage {
            store: Arc::new(object_store::memory::InMemory::new()),
            remote: false,
            location: "memory".to_owned(),
        }
    }

    /// Where the files go, for logs.
    pub fn location(&self) -> &str {
        &self.location
    }

    fn path(key: &str) -> Result<ObjectPath, StorageError> {
        if !is_valid_storage_key(key) {
            return Err(StorageError::InvalidKey(key.to_owned()));
        }
        ObjectPath::parse(key).map_err(|_| StorageError::InvalidKey(key.to_owned()))
    }

    fn translate(&self, key: &str, error: object_store::Error) -> StorageError {
        match error {
            object_store::Error::NotFound { .. } => StorageError::NotFound(key.to_owned()),
            object_store::Error::InvalidPath { .. } => StorageError::InvalidKey(key.to_owned()),
            other if self.remote => StorageError::Unavailable(one_line(&other.to_string())),
            other => StorageError::Other(one_line(&other.to_string())),
        }
    }
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[async_trait]
impl AttachmentStorage for ObjectStorage {
    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), StorageError> {
        let path = Self::path(key)?;
        self.store.put(&path, PutPayload::from(bytes)).await.map(|_| ()).map_err(|e| self.translate(key, e))
    }

    async fn get(&self, key: &str) -> Result<Vec<u8>, StorageError> {
        let path = Self::path(key)?;
        let result = self.store.get(&path).await.map_err(|e| self.translate(key, e))?;
        let bytes = result.bytes().await.map_err(|e| self.translate(key, e))?;
        Ok(bytes.to_vec())
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        let path = Self::path(key)?;
        match self.store.delete(&path).await.map_err(|e| self.translate(key, e)) {
            Ok(()) | Err(StorageError::NotFound(_)) => Ok(()),
            Err(error) => {
                tracing::warn!(key, location = %self.location, %error, "could not delete an attachment file; it is left behind");
                Err(error)
            }
        }
    }
}
