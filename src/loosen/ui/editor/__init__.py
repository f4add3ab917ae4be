"""The routine editor: a window over one user routine file (`window.EditorWindow`)."""
