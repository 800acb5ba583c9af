"""Streamlit app: widgets and layout only; the logic lives in the explorer package."""

import streamlit as st

st.set_page_config(page_title="explorer", layout="wide")
st.title("explorer")
st.write("Citation-graph literature explorer. Use the CLI: `explorer explore 1706.03762`.")
