// The test databases are the test kit's feature (@tsdevlake/testing); the framework's tests use them from there.
export * from "@tsdevlake/testing"
