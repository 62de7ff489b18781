import streamlit as st
st.title("開放資料品質")
