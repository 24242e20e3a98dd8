//! Linking Jira work items to capabilities: explicit keys, labels, epic children.
