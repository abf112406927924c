"""The ${{ values.name }} app."""
