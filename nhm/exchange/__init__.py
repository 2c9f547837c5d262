"""File formats in and out: assessment exchange files and the official municipality directory."""
