window.YTD.profile.part0 = [
  {
    "profile" : {
      "description" : {
        "bio" : "Nurse. North gate clinic. Posts are my own.",
        "website" : "",
        "location" : "Harbour"
      },
      "avatarMediaUrl" : "https://pbs.twimg.com/profile_images/1/a.jpg"
    }
  }
]
