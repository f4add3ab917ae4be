"""The Qt shell: widgets that observe the core and render it. The only package using Qt widgets."""
