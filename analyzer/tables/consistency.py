"""(placeholder: rules are being written)"""
